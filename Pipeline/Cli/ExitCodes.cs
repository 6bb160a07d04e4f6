using System.Globalization;
using System.Text;

namespace QualityScan.Pipeline.Cli;

/// <summary>Process exit codes: the one list that <c>--help</c>, <c>run.json</c> and docs/operator.md repeat.</summary>
public static class ExitCodes
{
    /// <summary>Done: every call found was processed and reported (calls may still have failed checks).</summary>
    public const int Success = 0;

    /// <summary>Nothing could be done, or the run failed: input missing or empty, model, rules, configuration or history unusable, output folder locked, every call failed, an unexpected error.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>Done, but not everything was processed: some calls (corrupt or missing recordings, bad manifest rows), or a coach's review sheet that could not be read: see errors.csv.</summary>
    public const int PartialFailure = 3;

    /// <summary>The work was done (transcripts are stored) but the reports or run.json could not be written: disk full, folder gone.</summary>
    public const int ReportsNotWritten = 4;

    /// <summary>An empty night: no recording found, or none for <c>--date</c>; the reports of the last night with calls are left as they were.</summary>
    public const int EmptyNight = 5;

    /// <summary>Interrupted (Ctrl-C, SIGTERM); what was finished is kept.</summary>
    public const int Interrupted = 130;

    /// <summary>Every code with its meaning, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Success, "done: every call found was reported"),
        (Failure, "failure: nothing could be done or the run failed (input missing or empty, model, rules, configuration or history unusable, output folder locked, every call failed, an unexpected error; run.json says why)"),
        (Usage, "usage: a wrong option or value"),
        (PartialFailure, "done, but not everything was processed: some calls, or a review sheet that could not be read (see errors.csv)"),
        (ReportsNotWritten, "the calls were processed (transcripts kept) but the reports or run.json could not be written (disk full, folder gone)"),
        (EmptyNight, "empty night: no recording found, or none for --date; the last night's reports are left as they were"),
        (Interrupted, "interrupted (Ctrl-C, SIGTERM); what was finished is kept, run again to continue"),
    ];

    /// <summary>The name <c>run.json</c> gives a code's outcome.</summary>
    public static string Describe(int code) => All.FirstOrDefault(c => c.Code == code).Meaning ?? string.Create(CultureInfo.InvariantCulture, $"exit code {code}");

    /// <summary>The exit codes as <c>--help</c> prints them.</summary>
    public static string Help()
    {
        var text = new StringBuilder("Exit codes:\n");
        foreach (var (code, meaning) in All)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {code,-4} {meaning}\n");
        }

        return text.ToString();
    }
}
