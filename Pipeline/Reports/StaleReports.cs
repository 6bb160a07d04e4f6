namespace QualityScan.Pipeline.Reports;

/// <summary>
/// Keeps an output folder honest night after night: every report in it belongs to the run that wrote it, so a
/// coach never opens an agent file left over from an earlier night.
/// </summary>
/// <remarks>
/// The fixed-name reports (<c>calls.csv</c>, <c>agents.csv</c>, ...) are replaced by every run; the per-agent files
/// of agents with no call in this run are deleted. <c>transcripts/</c> is a cache of every night and is kept.
/// </remarks>
public static class StaleReports
{
    /// <summary>Deletes <c>agents/*.csv</c> files under <paramref name="outputFolder"/> that are not in <paramref name="written"/>.</summary>
    /// <returns>The file names removed.</returns>
    public static IReadOnlyList<string> RemoveAgentFiles(string outputFolder, IEnumerable<string> written)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        ArgumentNullException.ThrowIfNull(written);
        var folder = Path.Combine(outputFolder, ReportWriter.AgentsFolder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var keep = new HashSet<string>(written.Select(Path.GetFullPath), StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToList())
        {
            if (!keep.Contains(Path.GetFullPath(file)))
            {
                File.Delete(file);
                removed.Add(Path.GetFileName(file));
            }
        }

        return removed;
    }
}
