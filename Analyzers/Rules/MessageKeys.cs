namespace QualityScan.Analyzers.Rules;

/// <summary>
/// The keys every messages file (<c>Rules/messages.pl.yaml</c>, <c>cs</c>, <c>en</c>) must define, and the placeholders
/// each may use: <c>findings</c> (what the checks say about a call) and <c>report</c> (the words of the workbook and
/// the coach pack).
/// </summary>
/// <remarks>
/// A placeholder value that starts with <c>@</c> names other keys of the same section (<c>@element_greeting,element_farewell</c>),
/// shown as their texts joined with ", ", so a list of missing elements is translated too.
/// </remarks>
public static class MessageKeys
{
    /// <summary>Section of the checks' messages.</summary>
    public const string Findings = "findings";

    /// <summary>Section of the report words.</summary>
    public const string Report = "report";

    /// <summary>The schema of a messages file.</summary>
    public static MessageSchema Schema => LazySchema.Value;

    private static readonly Lazy<MessageSchema> LazySchema = new(Build);

    private static MessageSchema Build()
    {
        var schema = new MessageSchema();
        foreach (var (key, placeholders) in FindingKeys)
        {
            schema.Add(Findings, key, placeholders);
        }

        foreach (var (key, placeholders) in ReportKeys)
        {
            schema.Add(Report, key, placeholders);
        }

        return schema;
    }

    private static readonly (string Key, string[] Placeholders)[] FindingKeys =
    [
        ("no_agent_speech", []),
        ("element_heard", ["element"]),
        ("element_heard_by_model", ["element", "model"]),
        ("missing", ["elements"]),
        ("element_greeting", []),
        ("element_agent_name", []),
        ("element_company", []),
        ("element_offer_of_help", []),
        ("element_anything_else", []),
        ("element_thanks", []),
        ("element_farewell", []),
        ("greeting_complete", []),
        ("greeting_not_checked", ["elements"]),
        ("greeting_not_checked_note", ["elements"]),
        ("closing_complete", []),
        ("interruption_no_separation", []),
        ("overlap_evidence", ["speaker", "words", "other", "other_words"]),
        ("speaker_agent", []),
        ("speaker_customer", []),
        ("interruption_backchannel", ["seconds"]),
        ("interruption_by_agent", ["seconds"]),
        ("interruption_by_customer", ["seconds"]),
        ("interruption_failed", ["count", "seconds"]),
        ("interruption_none", []),
        ("interruption_none_by_agent", ["count"]),
        ("politeness_polite_phrase", []),
        ("politeness_directive", []),
        ("politeness_polite_phrase_by_model", ["model"]),
        ("politeness_directive_by_model", ["model"]),
        ("politeness_directive_summary", ["quotes"]),
        ("politeness_no_polite_phrase", ["seconds"]),
        ("politeness_short_call", []),
        ("politeness_passed", ["count"]),
        ("dont_know_no_separation", []),
        ("dont_know_next_step", []),
        ("dont_know_next_step_next_turn", []),
        ("dont_know_next_step_by_model", ["model"]),
        ("dont_know_next_step_next_turn_by_model", ["model"]),
        ("dont_know_unresolved", []),
        ("dont_know_failed", ["unresolved", "total", "quotes"]),
        ("dont_know_none", []),
        ("dont_know_all_resolved", ["count"]),
        ("defined_no_separation", []),
        ("defined_not_applicable", []),
    ];

    private static readonly (string Key, string[] Placeholders)[] ReportKeys =
    [
        ("sheet_agents", []), ("sheet_calls", []), ("sheet_failed_findings", []), ("sheet_errors", []),
        ("col_agent_id", []), ("col_agent_name", []), ("col_calls", []), ("col_judged_calls", []), ("col_mean_score", []),
        ("col_vs_team", []), ("col_min_score", []), ("col_worst_call", []), ("col_pass_rate", ["check"]),
        ("col_interruptions", []), ("col_overlap_s", []), ("col_polite_phrases", []), ("col_directive_phrases", []),
        ("col_unresolved_dont_know", []), ("col_audio_minutes", []), ("col_call_id", []), ("col_language", []),
        ("col_started_at", []), ("col_time_zone", []), ("col_duration", []), ("col_score", []), ("col_not_judged", []),
        ("col_failed_checks", []), ("col_customer_interruptions", []), ("col_source_file", []), ("col_check", []),
        ("col_start", []), ("col_end", []), ("col_speaker", []), ("col_quote", []), ("col_reason", []), ("col_moment_id", []),
        ("col_file", []), ("col_stage", []), ("col_error", []),
        ("check_greeting", []), ("check_interruption", []), ("check_politeness", []), ("check_dont_know", []), ("check_closing", []),
        ("outcome_pass", []), ("outcome_fail", []), ("outcome_na", []),
        ("speaker_agent", []), ("speaker_customer", []), ("speaker_unknown", []),
        ("team_row", []), ("team_row_name", ["agents"]),
        ("coach_index_title", []), ("coach_team_summary", ["calls", "agents", "mean"]), ("coach_workbook_link", []),
        ("coach_moments", []), ("coach_back", []), ("coach_agent_summary", ["mean", "team", "difference", "calls"]),
        ("coach_review_link", []), ("coach_review_hint", []), ("coach_review_link_csv", []),
        ("col_start_s", []), ("col_end_s", []), ("col_tool_outcome", []), ("col_verdict", []), ("col_correct_outcome", []), ("col_comment", []),
        ("review_agree", []), ("review_disagree", []), ("sheet_review", []), ("coach_score", ["score"]), ("coach_not_judged", ["reason"]),
        ("coach_no_failed_checks", []), ("coach_failed_checks", ["checks"]), ("coach_play", []), ("coach_clip_span", ["from", "to"]),
        ("coach_no_clip", []), ("coach_words", []), ("coach_privacy_note", []),
        ("summary_written", ["workbook", "coach"]),
        ("covers_night", ["date", "weekday"]), ("covers_days", ["from", "to"]), ("covers_undated", ["date"]),
        ("zone_utc", []), ("zone_cet", []), ("zone_cest", []), ("zone_offset", ["offset"]),
        ("language_pl", []), ("language_cs", []), ("language_en", []),
        ("stage_discover", []), ("stage_manifest", []), ("stage_read", []), ("stage_decode", []), ("stage_transcribe", []),
        ("stage_analyze", []), ("stage_transcript", []), ("stage_rules", []), ("col_error_details", []), ("stage_review", []),
        ("error_not_found", ["file"]), ("error_unreadable", ["file"]), ("error_empty_file", ["file"]), ("error_no_audio", ["file"]),
        ("error_unsupported_format", ["file"]), ("error_needs_ffmpeg", ["file"]), ("error_too_short", ["file", "seconds", "minimum"]),
        ("error_transcription", ["file"]), ("error_no_rules", ["file", "language"]),
        ("error_review_unreadable", ["file", "other"]), ("error_review_not_a_file", ["file", "other"]),
        ("error_review_conflict", ["file", "other", "moments"]), ("error_review_not_written", ["file", "other"]),
        ("banner_demo_model", []),
        ("sheet_trend", []), ("trend_title", ["weeks", "from", "to"]), ("trend_by_night", []), ("trend_by_week", []),
        ("col_night", []), ("col_week", []), ("chart_scores", ["period"]), ("chart_pass_rates", ["period"]),
        ("print_header", ["covers"]), ("print_footer", []),
        ("coach_trend_title", []), ("coach_trend_alt", ["agent", "count"]), ("coach_trend_first", []),
        ("coach_trend_better", ["checks"]), ("coach_trend_worse", ["checks"]), ("coach_trend_steady", []),
        ("coach_trend_change", ["check", "before", "now"]), ("coach_trend_legend_agent", []), ("coach_trend_legend_team", []),
        ("mask_pesel", []), ("mask_birth_number", []), ("mask_card", []), ("mask_account", []), ("mask_phone", []), ("mask_email", []),
        ("mask_number", []),
    ];
}
