using QualityScan.Models;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Privacy;

/// <summary>
/// The copy of a night's judged calls that the writers of files people read are handed: every quote, message and
/// summary, and the transcripts the coach pages take their context lines from, with personal data masked by a
/// <see cref="PersonalDataMasker"/>. The checks have already run on the unmasked words, so no outcome changes.
/// </summary>
/// <param name="Reports">The masked calls, in the order given.</param>
/// <param name="Sources">The coach pack's sources for the masked calls: transcripts masked, recordings as they were.</param>
public sealed record MaskedReports(IReadOnlyList<CallReport> Reports, CoachSources Sources)
{
    /// <summary>Masks <paramref name="reports"/> and wraps <paramref name="sources"/> (which know the unmasked calls) for them.</summary>
    public static MaskedReports Of(IReadOnlyList<CallReport> reports, CoachSources sources, PersonalDataMasker masker)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(masker);
        var original = new Dictionary<CallReport, CallReport>(ReferenceEqualityComparer.Instance);
        var masked = new List<CallReport>(reports.Count);
        foreach (var report in reports)
        {
            var copy = Mask(report, masker);
            original[copy] = report;
            masked.Add(copy);
        }

        CallReport OriginalOf(CallReport shown) => original.GetValueOrDefault(shown) ?? shown;
        return new MaskedReports(masked, new CoachSources(
            shown => sources.TranscriptOf(OriginalOf(shown)) is { } transcript ? Mask(transcript, masker) : null,
            shown => sources.AudioPathOf(OriginalOf(shown))));
    }

    /// <summary>A call's findings, messages and summaries with personal data masked.</summary>
    public static CallReport Mask(CallReport report, PersonalDataMasker masker)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(masker);
        var language = report.Metadata.Language;
        string M(string text) => masker.Mask(text, language);
        MessageRef? R(MessageRef? message) => message is null ? null : message with { Args = message.Args.ToDictionary(a => a.Key, a => M(a.Value), StringComparer.Ordinal) };
        return report with
        {
            Results = report.Results.Select(r => r with
            {
                Summary = M(r.Summary),
                SummaryParts = r.SummaryParts.Select(p => R(p)!).ToList(),
                Findings = r.Findings.Select(f => f with
                {
                    Evidence = M(f.Evidence),
                    Message = M(f.Message),
                    Reason = R(f.Reason),
                    EvidenceText = R(f.EvidenceText),
                }).ToList(),
            }).ToList(),
        };
    }

    /// <summary>A transcript with every utterance's words masked (times, speakers and confidences kept).</summary>
    public static CallTranscript Mask(CallTranscript transcript, PersonalDataMasker masker)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(masker);
        var language = transcript.Metadata.Language;
        return transcript with { Utterances = transcript.Utterances.Select(u => u with { Text = masker.Mask(u.Text, language) }).ToList() };
    }
}
