namespace QualityScan.Models;

/// <summary>Where each party's voice is present, per speaker, in time order.</summary>
/// <param name="Agent">Speech intervals of the agent.</param>
/// <param name="Customer">Speech intervals of the customer.</param>
/// <param name="Unknown">Speech intervals of a mono recording, where the parties cannot be separated.</param>
public sealed record VoiceActivity(
    IReadOnlyList<TimeInterval> Agent,
    IReadOnlyList<TimeInterval> Customer,
    IReadOnlyList<TimeInterval> Unknown)
{
    /// <summary>An activity map with no speech at all.</summary>
    public static VoiceActivity Empty { get; } = new([], [], []);

    /// <summary>True when the parties were recorded separately (agent or customer tracks present).</summary>
    public bool IsSeparated => Unknown.Count == 0;

    /// <summary>The intervals of one speaker.</summary>
    public IReadOnlyList<TimeInterval> For(Speaker speaker) => speaker switch
    {
        Speaker.Agent => Agent,
        Speaker.Customer => Customer,
        _ => Unknown,
    };

    /// <summary>Builds activity from utterance spans, for transcripts that carry no activity of their own.</summary>
    public static VoiceActivity FromUtterances(IEnumerable<Utterance> utterances)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        var list = utterances.ToList();
        IReadOnlyList<TimeInterval> Of(Speaker s) => list.Where(u => u.Speaker == s).Select(u => u.Span).OrderBy(i => i.Start).ToList();
        return new VoiceActivity(Of(Speaker.Agent), Of(Speaker.Customer), Of(Speaker.Unknown));
    }
}
