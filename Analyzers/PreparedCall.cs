using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Models;

namespace QualityScan.Analyzers;

/// <summary>
/// A call with every utterance normalised once, shared by all checks so that no check folds or splits the
/// same text again.
/// </summary>
/// <remarks>
/// Speaker rules used by the checks: on a call with speaker separation only <see cref="Speaker.Agent"/>
/// utterances are the agent's. On a mono call every utterance is <see cref="Speaker.Unknown"/>; the text
/// checks that can still recognise an agent's formula (greeting, politeness, closing) treat those as
/// possibly the agent's (<see cref="AgentSide"/>), while checks that must know who spoke report n/a.
/// <para>Not thread-safe: one instance serves one analysis (the learned features are computed on first use).</para>
/// </remarks>
public sealed class PreparedCall
{
    private readonly Sentence[]?[] _sentences;

    /// <summary>Normalises <paramref name="call"/> with <paramref name="normalizer"/>.</summary>
    public PreparedCall(CallTranscript call, TextNormalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(normalizer);
        Call = call;
        Texts = call.Utterances.Select(u => normalizer.Normalize(u.Text)).ToArray();
        var order = Enumerable.Range(0, call.Utterances.Count).OrderBy(i => call.Utterances[i].Start).ToArray();
        AgentOnly = order.Where(i => call.Utterances[i].Speaker == Speaker.Agent).ToArray();
        AgentSide = order.Where(i => call.Utterances[i].Speaker is Speaker.Agent or Speaker.Unknown).ToArray();
        _sentences = new Sentence[]?[call.Utterances.Count];
    }

    /// <summary>The call as transcribed.</summary>
    public CallTranscript Call { get; }

    /// <summary>The utterances (same order as <see cref="Texts"/>).</summary>
    public IReadOnlyList<Utterance> Utterances => Call.Utterances;

    /// <summary>The normalised text of each utterance, by utterance index.</summary>
    public IReadOnlyList<NormalizedText> Texts { get; }

    /// <summary>True when agent and customer were told apart (see <see cref="CallTranscript.HasSpeakerSeparation"/>).</summary>
    public bool HasSpeakerSeparation => Call.HasSpeakerSeparation;

    /// <summary>Indices of the agent's utterances, by start time.</summary>
    public IReadOnlyList<int> AgentOnly { get; }

    /// <summary>Indices of utterances that may be the agent's (agent or unknown speaker), by start time.</summary>
    public IReadOnlyList<int> AgentSide { get; }

    /// <summary>
    /// The sentences of utterance <paramref name="index"/> with the learned classifiers' features of each (one sentence
    /// is judged at a time, like the examples), computed once on first use.
    /// </summary>
    public IReadOnlyList<Sentence> SentencesOf(int index)
    {
        if (_sentences[index] is { } cached)
        {
            return cached;
        }

        var text = Texts[index];
        var sentences = new List<Sentence>();
        var first = 0;
        for (var i = 0; i < text.Words.Count; i++)
        {
            if (i + 1 == text.Words.Count || !text.SameSentence(i, i + 1))
            {
                sentences.Add(new Sentence(first, i, TextFeatures.Of(text, first, i)));
                first = i + 1;
            }
        }

        return _sentences[index] = sentences.ToArray();
    }

    /// <summary>One sentence of an utterance: its first and last word (indices into <see cref="NormalizedText.Words"/>) and its features.</summary>
    public sealed record Sentence(int FirstWord, int LastWord, string[] Features);
}
