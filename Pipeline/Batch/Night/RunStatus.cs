namespace QualityScan.Pipeline.Batch.Night;

/// <summary>How a run ended, as <c>run.json</c> says it.</summary>
public enum RunStatus
{
    /// <summary>The run has started and not finished (a run killed outright leaves this).</summary>
    Running,

    /// <summary>Every call was processed; the reports cover the whole input.</summary>
    Complete,

    /// <summary>Stopped early (Ctrl-C, a stop request): the reports cover only the calls finished.</summary>
    Interrupted,

    /// <summary>The run failed (reports or history not written, an unexpected error): <c>reason</c> says what, <c>reports</c> what the files beside it are.</summary>
    Failed,

    /// <summary>Every call was tried and the reports written, but some calls (or a review sheet) could not be processed (see <c>errors.csv</c>).</summary>
    Partial,

    /// <summary>No recording for the night: nothing was reported, and the reports beside this file (if any) are of an earlier night.</summary>
    Empty,
}
