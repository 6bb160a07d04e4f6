namespace QualityScan.Models;

/// <summary>What is known about a call apart from its words.</summary>
/// <param name="CallId">Unique id of the call (file name or manifest id).</param>
/// <param name="AgentId">Id of the agent who handled the call.</param>
/// <param name="AgentName">The agent's name as they would say it ("Anna Kowalska"); null when unknown.</param>
/// <param name="Company">The company name the agent should introduce; null when unknown.</param>
/// <param name="Language">Language code of the call ("pl", "cs").</param>
/// <param name="DurationSeconds">Length of the recording in seconds.</param>
public sealed record CallMetadata(
    string CallId,
    string AgentId,
    string? AgentName,
    string? Company,
    string Language,
    double DurationSeconds)
{
    /// <summary>When the call started, if the manifest says so.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The recording this call came from, if any.</summary>
    public string? SourceFile { get; init; }
}
