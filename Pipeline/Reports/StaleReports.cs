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

    /// <summary>
    /// Deletes the coach pages (<c>coach/&lt;agent&gt;.html</c>) of agents not in <paramref name="agentIds"/>: a page of an
    /// agent with no call tonight quotes customers and links clips that are gone. The review sheets are kept (they may
    /// hold what a coach typed); the clips of earlier runs are removed by the coach pack itself.
    /// </summary>
    /// <returns>The file names removed, as <c>coach/&lt;name&gt;</c>.</returns>
    public static IReadOnlyList<string> RemoveCoachFiles(string outputFolder, IEnumerable<string> agentIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        ArgumentNullException.ThrowIfNull(agentIds);
        var folder = Path.Combine(outputFolder, CoachPackWriter.Folder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var keep = new HashSet<string>(agentIds.Select(id => ReportWriter.SafeFileName(id) + ".html"), StringComparer.Ordinal) { "index.html" };
        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.html").Order(StringComparer.Ordinal).ToList())
        {
            var name = Path.GetFileName(file);
            if (!keep.Contains(name))
            {
                File.Delete(file);
                removed.Add(CoachPackWriter.Folder + "/" + name);
            }
        }

        return removed;
    }
}
