namespace QualityScan.Pipeline.Cli;

/// <summary>Process exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Done: every call found was processed and reported (calls may still have failed checks).</summary>
    public const int Success = 0;

    /// <summary>Nothing could be done: no input could be read, or the model or rules could not be loaded.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>Done, but some calls could not be processed (corrupt or missing recordings, bad manifest rows): see errors.csv.</summary>
    public const int PartialFailure = 3;

    /// <summary>The work was done (transcripts are stored) but the reports could not be written: disk full, folder gone.</summary>
    public const int ReportsNotWritten = 4;

    /// <summary>Interrupted (Ctrl-C); what was finished is kept.</summary>
    public const int Interrupted = 130;
}
