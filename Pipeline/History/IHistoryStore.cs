namespace QualityScan.Pipeline.History;

/// <summary>
/// Where the results of every night are kept, so that trends can be drawn. The shipped store is one SQLite file
/// (<see cref="SqliteHistoryStore"/>); a shared server database for several machines would be another implementation.
/// </summary>
public interface IHistoryStore : IDisposable
{
    /// <summary>Records a run and its calls in one transaction; a call already stored for the same day is replaced, not duplicated.</summary>
    void Record(HistoryRun run, IReadOnlyList<HistoryCall> calls);

    /// <summary>
    /// Records a run that covered <paramref name="scope"/> whole (a night of one input folder): as <see cref="Record(HistoryRun, IReadOnlyList{HistoryCall})"/>,
    /// and in the same transaction the rows of that night and input that the run no longer has (a call withdrawn from
    /// the manifest or the input since an earlier run of the night) are deleted.
    /// </summary>
    void Record(HistoryRun run, IReadOnlyList<HistoryCall> calls, HistoryScope scope);

    /// <summary>The stored calls matching <paramref name="query"/>, by day, agent and call id.</summary>
    IReadOnlyList<HistoryCall> Calls(HistoryQuery query);

    /// <summary>The stored runs, oldest first.</summary>
    IReadOnlyList<HistoryRun> Runs();
}
