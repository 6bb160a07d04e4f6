namespace QualityScan.Pipeline.Reports;

/// <summary>One row of <c>calls.csv</c>.</summary>
public sealed record CallRow
{
    public required string CallId { get; init; }
    public required string AgentId { get; init; }
    public string? AgentName { get; init; }
    public required string Language { get; init; }
    public string? StartedAt { get; init; }
    public double DurationSeconds { get; init; }

    /// <summary>The score, or null (an empty cell) when the call was not judged.</summary>
    public double? Score { get; init; }

    /// <summary>Why the call was not judged ("no agent speech"); empty when it was.</summary>
    public string? NotJudged { get; init; }

    /// <summary>"pass", "fail" or "n/a" per check id, one column each in the rule pack's check order (see <see cref="CallRowMap"/>).</summary>
    public required IReadOnlyDictionary<string, string> Outcomes { get; init; }

    public int Interruptions { get; init; }
    public double OverlapSeconds { get; init; }
    public int CustomerInterruptions { get; init; }
    public int PolitePhrases { get; init; }
    public int DirectivePhrases { get; init; }
    public int UnresolvedDontKnow { get; init; }
    public required string FailedChecks { get; init; }
    public string? SourceFile { get; init; }
}

/// <summary>One row of <c>findings.csv</c>.</summary>
public sealed record FindingRow
{
    public required string CallId { get; init; }
    public required string AgentId { get; init; }
    public required string Check { get; init; }
    public required string Outcome { get; init; }
    public double StartSeconds { get; init; }
    public double EndSeconds { get; init; }
    public required string Speaker { get; init; }
    public required string Evidence { get; init; }
    public required string Message { get; init; }
}

/// <summary>One row of <c>agents.csv</c>: an agent's totals over the batch.</summary>
public sealed record AgentRow
{
    public required string AgentId { get; init; }
    public string? AgentName { get; init; }
    public int Calls { get; init; }

    /// <summary>Calls that could not be judged (no agent speech); left out of the scores and rates.</summary>
    public int NotJudgedCalls { get; init; }

    public double? MeanScore { get; init; }
    public double? MinScore { get; init; }
    public string? WorstCall { get; init; }
    /// <summary>The share (0-1) of applicable calls that passed, per check id; null when the check never applied. One <c>&lt;check&gt;_pass_rate</c> column each.</summary>
    public required IReadOnlyDictionary<string, double?> PassRates { get; init; }

    public int Interruptions { get; init; }
    public double OverlapSeconds { get; init; }
    public int PolitePhrases { get; init; }
    public int DirectivePhrases { get; init; }
    public int UnresolvedDontKnow { get; init; }
    public double AudioMinutes { get; init; }
}

/// <summary>One row of <c>agents/&lt;agent_id&gt;.csv</c>: one call of the agent, worst first, with the moments to listen to.</summary>
public sealed record CoachingRow
{
    public int Rank { get; init; }
    public required string CallId { get; init; }
    public string? StartedAt { get; init; }
    public double? Score { get; init; }
    public required string FailedChecks { get; init; }
    public int FailedFindings { get; init; }
    public required string Moments { get; init; }
    public string? SourceFile { get; init; }
}
