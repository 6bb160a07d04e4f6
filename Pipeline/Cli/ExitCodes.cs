namespace QualityScan.Pipeline.Cli;

/// <summary>Process exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Reports were written (calls may still have failed checks or errors).</summary>
    public const int Success = 0;

    /// <summary>Nothing could be done: no input could be read, or the model or rules could not be loaded.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>The work was done (transcripts are stored) but the reports could not be written: disk full, folder gone.</summary>
    public const int ReportsNotWritten = 3;

    /// <summary>Interrupted (Ctrl-C); what was finished is kept.</summary>
    public const int Interrupted = 130;
}
