using QualityScan.Models;

namespace QualityScan.Pipeline.Batch;

/// <summary>One recording to process, with what is known about the call before it is heard.</summary>
/// <param name="AudioPath">Full path of the recording.</param>
/// <param name="RelativePath">Path relative to the input folder, as reports show it.</param>
/// <param name="CallId">Call id (manifest <c>call_id</c>, else the file name without extension).</param>
/// <param name="AgentId">Agent id (manifest <c>agent_id</c>, else the parent folder's name).</param>
/// <param name="AgentName">The agent's name, when the manifest gives it.</param>
/// <param name="Company">The company the agent represents, when the manifest gives it.</param>
/// <param name="Language">Language code, or null to use the run's language.</param>
/// <param name="AgentChannel">"left" or "right", or null to use the run's setting.</param>
/// <param name="StartedAt">When the call started, when the manifest says.</param>
public sealed record CallJob(
    string AudioPath,
    string RelativePath,
    string CallId,
    string AgentId,
    string? AgentName,
    string? Company,
    string? Language,
    string? AgentChannel,
    DateTimeOffset? StartedAt)
{
    /// <summary>"in" or "out" when the recording's name says which way the call went.</summary>
    public string? Direction { get; init; }

    /// <summary>The call's day when the recording's name gives a date but no time (see <see cref="Naming.FileNameConvention"/>).</summary>
    public DateOnly? Day { get; init; }

    /// <summary>A recording known only by its path: the call id is the file name without extension, nothing else is known.</summary>
    public static CallJob ForFile(string fullPath, string relativePath, string agentId) =>
        new(fullPath, relativePath, Path.GetFileNameWithoutExtension(relativePath), agentId, null, null, null, null, null);

    /// <summary>Call metadata for the analyzers, once the language and duration are known.</summary>
    public CallMetadata ToMetadata(string language, double durationSeconds) =>
        new(CallId, AgentId, AgentName, Company, language, durationSeconds) { StartedAt = StartedAt, SourceFile = RelativePath };
}
