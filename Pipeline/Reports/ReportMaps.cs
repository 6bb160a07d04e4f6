using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using QualityScan.Models;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// Column names and order of <c>calls.csv</c>: one outcome column per check, in the order the rule pack runs them
/// (the five of the mission, then the checks the pack defines).
/// </summary>
public sealed class CallRowMap : ClassMap<CallRow>
{
    /// <summary>For reading: every column that is not one of the fixed ones is a check's outcome.</summary>
    public CallRowMap()
        : this(null)
    {
    }

    /// <summary>For writing: one outcome column per id of <paramref name="checks"/> (null: read them from the header).</summary>
    public CallRowMap(IReadOnlyList<string>? checks)
    {
        Map(r => r.CallId).Name("call_id");
        Map(r => r.AgentId).Name("agent_id");
        Map(r => r.AgentName).Name("agent_name");
        Map(r => r.Language).Name("language");
        Map(r => r.StartedAt).Name("started_at");
        Map(r => r.DurationSeconds).Name("duration_s");
        Map(r => r.Score).Name("score");
        Map(r => r.NotJudged).Name("not_judged");
        CheckColumns.Map(this, checks, r => r.Outcomes, id => id, text => text, value => value);
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

/// <summary>Column names and order of <c>agents.csv</c>: a <c>&lt;check&gt;_pass_rate</c> column per check, in the rule pack's order.</summary>
public sealed class AgentRowMap : ClassMap<AgentRow>
{
    /// <summary>For reading: every <c>*_pass_rate</c> column is a check's rate.</summary>
    public AgentRowMap()
        : this(null)
    {
    }

    /// <summary>For writing: one rate column per id of <paramref name="checks"/> (null: read them from the header).</summary>
    public AgentRowMap(IReadOnlyList<string>? checks)
    {
        Map(r => r.AgentId).Name("agent_id");
        Map(r => r.AgentName).Name("agent_name");
        Map(r => r.Calls).Name("calls");
        Map(r => r.NotJudgedCalls).Name("not_judged_calls");
        Map(r => r.MeanScore).Name("mean_score");
        Map(r => r.MinScore).Name("min_score");
        Map(r => r.WorstCall).Name("worst_call");
        CheckColumns.Map(this, checks, r => r.PassRates, id => id + PassRateSuffix, ParseRate,
            rate => rate?.ToString(CultureInfo.InvariantCulture) ?? "");
        Map(r => r.Interruptions).Name("interruptions");
        Map(r => r.OverlapSeconds).Name("overlap_s");
        Map(r => r.PolitePhrases).Name("polite_phrases");
        Map(r => r.DirectivePhrases).Name("directive_phrases");
        Map(r => r.UnresolvedDontKnow).Name("unresolved_dont_know");
        Map(r => r.AudioMinutes).Name("audio_minutes");
    }

    /// <summary>The ending of a check's rate column name.</summary>
    public const string PassRateSuffix = "_pass_rate";

    private static double? ParseRate(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) ? rate : null;
}

/// <summary>
/// The per-check columns of a report file: written one per check id in the given order, read back from whatever
/// check columns the header has, so that a check defined only in a rule pack gets its column with no code.
/// </summary>
internal static class CheckColumns
{
    /// <summary>Maps the per-check dictionary <paramref name="member"/> of <paramref name="map"/>.</summary>
    /// <param name="map">The class map.</param>
    /// <param name="checks">The check ids to write, in column order; null when the map reads.</param>
    /// <param name="member">The row's dictionary by check id.</param>
    /// <param name="column">The column name of a check id.</param>
    /// <param name="parse">A cell to a value.</param>
    /// <param name="format">A value to a cell.</param>
    public static void Map<TRow, TValue>(
        ClassMap<TRow> map,
        IReadOnlyList<string>? checks,
        System.Linq.Expressions.Expression<Func<TRow, IReadOnlyDictionary<string, TValue>?>> member,
        Func<string, string> column,
        Func<string, TValue> parse,
        Func<TValue, string> format)
    {
        if (checks is not null)
        {
            map.Map(member).Ignore();
            var get = member.Compile();
            foreach (var id in checks)
            {
                map.Map().Name(column(id)).Convert((ConvertToStringArgs<object> args) =>
                    args.Value is TRow row && get(row) is { } values && values.TryGetValue(id, out var value) ? format(value) : format(parse("n/a")));
            }

            return;
        }

        var suffix = column("");
        map.Map(member).Optional().Convert((ConvertFromStringArgs args) => Read(args.Row, suffix, parse, map));
    }

    private static IReadOnlyDictionary<string, TValue> Read<TRow, TValue>(IReaderRow row, string suffix, Func<string, TValue> parse, ClassMap<TRow> map)
    {
        var fixedNames = map.MemberMaps.SelectMany(m => m.Data.Names).ToHashSet(StringComparer.Ordinal);
        var values = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var name in row.HeaderRecord ?? [])
        {
            if (!fixedNames.Contains(name) && name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                values[name[..^suffix.Length]] = parse(row.GetField(name) ?? "");
            }
        }

        return values;
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
