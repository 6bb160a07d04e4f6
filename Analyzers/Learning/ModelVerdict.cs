using System.Globalization;

namespace QualityScan.Analyzers.Learning;

/// <summary>A learned classifier's judgement that an utterance belongs to a phrase class.</summary>
/// <param name="Probability">The classifier's probability (0-1), at or above the pack's threshold.</param>
/// <param name="NearestExample">The training sentence most like the utterance, so a coach can judge the call.</param>
public sealed record ModelVerdict(double Probability, string NearestExample)
{
    /// <summary>The words judged, as transcribed (a sentence of the utterance); empty when not set.</summary>
    public string Quote { get; init; } = "";

    /// <summary>"model 0.93, nearest example: "W czym mogę pomóc?"" for a finding's message.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"model {Probability:0.00}, nearest example: \"{NearestExample}\"");
}
