namespace QualityScan.Speech.Transcription;

/// <summary>
/// The one language a call is transcribed in when it is detected ("auto"): the candidates it may be, and, once the
/// first batch of windows is encoded, the code chosen and the vote behind it.
/// </summary>
/// <remarks>
/// <para>Detection reads the encoder output of the first batch of windows, which are decoded anyway (the agent's
/// channel is the first track, so its first window always votes): one decoder step per batch, no extra encoder pass.
/// Each voting window gives every candidate its probability (a softmax over the candidates' language logits) times
/// the seconds of speech in the window; the candidate with the most wins, so a long clear window outweighs a short
/// unsure one where windows disagree.</para>
/// <para>The first batch is the one decoding forms anyway (<see cref="TranscriptionOptions.BatchSize"/> windows: the
/// memory's default for packed windows, 1 for chunk windows), so a call is decoded exactly as with its language given.
/// With batches of one window, the agent's first window decides alone: a larger first batch would cost a window's
/// buffers and, with an int8 model, change the first windows' text (its activations are quantized per batch).</para>
/// </remarks>
public sealed class CallLanguage
{
    private readonly Dictionary<string, double> _votes = new(StringComparer.Ordinal);

    /// <summary>Creates a detection among <paramref name="candidates"/>.</summary>
    /// <param name="candidates">Language codes the call may be in (those with a rule pack); empty: any the model knows.</param>
    public CallLanguage(IReadOnlyCollection<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        Candidates = candidates;
    }

    /// <summary>Language codes the call may be in; empty: any the model knows.</summary>
    public IReadOnlyCollection<string> Candidates { get; }

    /// <summary>The language the call was transcribed in; null until decided (and when the call had no speech to hear).</summary>
    public string? Code { get; private set; }

    /// <summary>Each candidate's score in the vote (probability times seconds of speech, summed over the voting windows).</summary>
    public IReadOnlyDictionary<string, double> Votes => _votes;

    /// <summary>Windows that voted.</summary>
    public int VotingWindows { get; private set; }

    /// <summary>Records a fixed language (no vote).</summary>
    internal void Fix(string code) => Code = code;

    /// <summary>Adds one window's probabilities, weighted by its seconds of speech.</summary>
    internal void AddVote(IReadOnlyList<string> codes, IReadOnlyList<double> probabilities, double seconds)
    {
        for (var i = 0; i < codes.Count; i++)
        {
            _votes[codes[i]] = _votes.GetValueOrDefault(codes[i]) + (probabilities[i] * Math.Max(seconds, 1e-3));
        }

        VotingWindows++;
    }

    /// <summary>Closes the vote: the candidate with the highest score (the first candidate on a tie).</summary>
    internal string Decide(IReadOnlyList<string> codes)
    {
        var best = codes[0];
        foreach (var code in codes)
        {
            if (_votes.GetValueOrDefault(code) > _votes.GetValueOrDefault(best))
            {
                best = code;
            }
        }

        Code = best;
        return best;
    }
}
