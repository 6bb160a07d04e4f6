namespace QualityScan.Models;

/// <summary>Who spoke an utterance or owns a voice-activity track.</summary>
/// <remarks>
/// <see cref="Unknown"/> is used for mono recordings, where the two parties share one channel and
/// cannot be told apart; checks that need speaker separation report <see cref="Outcome.NotApplicable"/>.
/// </remarks>
public enum Speaker
{
    Agent,
    Customer,
    Unknown,
}
