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
/// </remarks>
public sealed class PreparedCall
{
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
}
