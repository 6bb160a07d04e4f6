using CsvHelper.Configuration;

namespace QualityScan.Pipeline.Reports;

/// <summary>Column names and order of <c>calls.csv</c>.</summary>
public sealed class CallRowMap : ClassMap<CallRow>
{
    public CallRowMap()
    {
        Map(r => r.CallId).Name("call_id");
        Map(r => r.AgentId).Name("agent_id");
        Map(r => r.AgentName).Name("agent_name");
        Map(r => r.Language).Name("language");
        Map(r => r.StartedAt).Name("started_at");
        Map(r => r.DurationSeconds).Name("duration_s");
        Map(r => r.Score).Name("score");
        Map(r => r.NotJudged).Name("not_judged");
        Map(r => r.Greeting).Name("greeting");
        Map(r => r.Interruption).Name("interruption");
        Map(r => r.Politeness).Name("politeness");
        Map(r => r.DontKnow).Name("dont_know");
        Map(r => r.Closing).Name("closing");
        Map(r => r.Interruptions).Name("interruptions");
        Map(r => r.OverlapSeconds).Name("overlap_s");
        Map(r => r.CustomerInterruptions).Name("customer_interruptions");
        Map(r => r.PolitePhrases).Name("polite_phrases");
        Map(r => r.DirectivePhrases).Name("directive_phrases");
        Map(r => r.UnresolvedDontKnow).Name("unresolved_dont_know");
        Map(r => r.FailedChecks).Name("failed_checks");
        Map(r => r.SourceFile).Name("source_file");
    }
}

/// <summary>Column names and order of <c>findings.csv</c>.</summary>
public sealed class FindingRowMap : ClassMap<FindingRow>
{
    public FindingRowMap()
    {
        Map(r => r.CallId).Name("call_id");
        Map(r => r.AgentId).Name("agent_id");
        Map(r => r.Check).Name("check");
        Map(r => r.Outcome).Name("outcome");
        Map(r => r.StartSeconds).Name("start_s");
        Map(r => r.EndSeconds).Name("end_s");
        Map(r => r.Speaker).Name("speaker");
        Map(r => r.Evidence).Name("evidence");
        Map(r => r.Message).Name("message");
    }
}

/// <summary>Column names and order of <c>agents.csv</c>.</summary>
public sealed class AgentRowMap : ClassMap<AgentRow>
{
    public AgentRowMap()
    {
        Map(r => r.AgentId).Name("agent_id");
        Map(r => r.AgentName).Name("agent_name");
        Map(r => r.Calls).Name("calls");
        Map(r => r.NotJudgedCalls).Name("not_judged_calls");
        Map(r => r.MeanScore).Name("mean_score");
        Map(r => r.MinScore).Name("min_score");
        Map(r => r.WorstCall).Name("worst_call");
        Map(r => r.GreetingPassRate).Name("greeting_pass_rate");
        Map(r => r.InterruptionPassRate).Name("interruption_pass_rate");
        Map(r => r.PolitenessPassRate).Name("politeness_pass_rate");
        Map(r => r.DontKnowPassRate).Name("dont_know_pass_rate");
        Map(r => r.ClosingPassRate).Name("closing_pass_rate");
        Map(r => r.Interruptions).Name("interruptions");
        Map(r => r.OverlapSeconds).Name("overlap_s");
        Map(r => r.PolitePhrases).Name("polite_phrases");
        Map(r => r.DirectivePhrases).Name("directive_phrases");
        Map(r => r.UnresolvedDontKnow).Name("unresolved_dont_know");
        Map(r => r.AudioMinutes).Name("audio_minutes");
    }
}

/// <summary>Column names and order of the per-agent coaching file.</summary>
public sealed class CoachingRowMap : ClassMap<CoachingRow>
{
    public CoachingRowMap()
    {
        Map(r => r.Rank).Name("rank");
        Map(r => r.CallId).Name("call_id");
        Map(r => r.StartedAt).Name("started_at");
        Map(r => r.Score).Name("score");
        Map(r => r.FailedChecks).Name("failed_checks");
        Map(r => r.FailedFindings).Name("failed_findings");
        Map(r => r.Moments).Name("moments");
        Map(r => r.SourceFile).Name("source_file");
    }
}

/// <summary>Column names and order of <c>errors.csv</c>.</summary>
public sealed class ErrorRowMap : ClassMap<ErrorRow>
{
    public ErrorRowMap()
    {
        Map(r => r.File).Name("file");
        Map(r => r.CallId).Name("call_id");
        Map(r => r.AgentId).Name("agent_id");
        Map(r => r.Stage).Name("stage");
        Map(r => r.Reason).Name("reason");
    }
}
