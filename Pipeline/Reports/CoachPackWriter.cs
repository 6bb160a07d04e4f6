using QualityScan.Models.IO;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using QualityScan.Models;
using QualityScan.Speech.Audio;

namespace QualityScan.Pipeline.Reports;

/// <summary>Where the coach pack finds a call's words and recording.</summary>
/// <param name="TranscriptOf">The transcript of a call (for the turns around a moment), or null when it cannot be read.</param>
/// <param name="AudioPathOf">The recording of a call to cut clips from, or null: no clips (<c>--no-clips</c>, or no audio).</param>
public sealed record CoachSources(Func<CallReport, CallTranscript?> TranscriptOf, Func<CallReport, string?> AudioPathOf)
{
    /// <summary>No transcripts and no audio: pages with reasons and quotes only.</summary>
    public static CoachSources None { get; } = new(_ => null, _ => null);
}

/// <summary>
/// Writes the coach pack: <c>coach/index.html</c> (team overview, agents worst first) and per agent
/// <c>coach/&lt;agent&gt;.html</c> (calls worst first; per failed moment the reason, the quoted words, two turns before
/// and after, and a button that plays a clip of the moment from <c>coach/clips/</c>), plus the review sheets
/// <c>coach/&lt;agent&gt;-review.xlsx</c> and <c>.csv</c> (<see cref="WriteReviewSheets"/>).
/// </summary>
/// <remarks>
/// Static files only (inline CSS and script, nothing fetched), so the pack opens from a file share. Every string that
/// comes from a transcript or the metadata is HTML-encoded: customers' words are untrusted input. Clips are 16-bit
/// PCM WAV cut from the recording <see cref="ClipBeforeSeconds"/> before to <see cref="ClipAfterSeconds"/> after the moment.
/// </remarks>
public static class CoachPackWriter
{
    /// <summary>The coach pack's folder in the output folder.</summary>
    public const string Folder = "coach";

    /// <summary>Seconds of audio before a moment in its clip.</summary>
    public const double ClipBeforeSeconds = 3;

    /// <summary>Seconds of audio after a moment in its clip.</summary>
    public const double ClipAfterSeconds = 3;

    private const int ContextTurns = 2;

    /// <summary>Most transcript rows shown around one moment; the rest are counted in one row, so a page grows with its moments, not with moments × turns.</summary>
    private const int MaxContextRows = 12;

    /// <summary>Longest utterance text shown in a moment's transcript, in characters.</summary>
    private const int MaxContextChars = 2_000;

    /// <summary>Writes the pack into <c>coach/</c> under <paramref name="outputFolder"/>; returns problems worth a log line (a clip that could not be cut).</summary>
    public static IReadOnlyList<string> Write(string outputFolder, TeamSummary team, ReportText text, CoachSources sources, AudioDecoder? decoder = null) =>
        Write(outputFolder, team, new PeopleReports(text, sources), decoder);

    /// <summary>Writes the pack, naming the night covered and drawing each agent's trend when <see cref="PeopleReports.Trend"/> is given.</summary>
    public static IReadOnlyList<string> Write(string outputFolder, TeamSummary team, PeopleReports people, AudioDecoder? decoder = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(people);
        var (text, sources) = (people.Text, people.Sources);
        var covers = text.Covers(people.Night, team.Calls);
        var folder = Path.Combine(outputFolder, Folder);
        Directory.CreateDirectory(folder);
        var warnings = new List<string>();
        var clips = new ClipCutter(Path.Combine(folder, "clips"), sources, decoder ?? new AudioDecoder(), warnings);
        WriteHtml(Path.Combine(folder, "index.html"), IndexPage(team, text, covers, people.Banner));
        foreach (var agent in team.Agents)
        {
            var name = ReportWriter.SafeFileName(agent.AgentId);
            WriteHtml(Path.Combine(folder, name + ".html"), AgentPage(team, agent, text, sources, clips, name, covers, people.Trend));
        }

        clips.RemoveStale();
        return warnings;
    }

    /// <summary>
    /// Writes each agent's review sheet (<c>coach/&lt;agent&gt;-review.xlsx</c> and <c>.csv</c>, see <see cref="ReviewSheet"/>),
    /// keeping what coaches typed; returns the sheets that could not be read or written, each left untouched.
    /// </summary>
    public static IReadOnlyList<ReviewSheetProblem> WriteReviewSheets(string outputFolder, TeamSummary team, ReportText text)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(text);
        var folder = Path.Combine(outputFolder, Folder);
        Directory.CreateDirectory(folder);
        return team.Agents.SelectMany(a => ReviewSheet.Update(folder, Folder, a.AgentId, ReviewSheet.RowsFor(a, text), text)).ToList();
    }

    /// <summary>The clip file name of a moment: call id, check and start in milliseconds, e.g. <c>pl09-worst_dont_know_16500.wav</c>.</summary>
    public static string ClipFileName(string callId, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return string.Create(CultureInfo.InvariantCulture, $"{ReportWriter.SafeFileName(callId)}_{finding.CheckId}_{(long)Math.Round(finding.Start * 1000)}.wav");
    }

    private static string IndexPage(TeamSummary team, ReportText t, string covers, string? banner)
    {
        var html = new StringBuilder();
        Head(html, t, t.T("coach_index_title"));
        html.Append("<header><h1>").Append(E(t.T("coach_index_title"))).Append("</h1>");
        html.Append("<p class=\"covers\">").Append(E(covers)).Append("</p>");
        html.Append(banner is null ? "" : "<p class=\"banner\" role=\"alert\" style=\"background:#fde2e1;border:2px solid #b3261e;padding:.5em;font-weight:bold\">" + E(banner) + "</p>");
        html.Append("<p class=\"summary\">").Append(E(t.T("coach_team_summary",
            ("calls", team.Calls.Count.ToString(t.Culture)),
            ("agents", team.Agents.Count.ToString(t.Culture)),
            ("mean", team.MeanScore is { } mean ? t.Number(mean) : "–")))).Append("</p>");
        html.Append("<p><a href=\"../").Append(WorkbookWriter.FileName).Append("\">").Append(E(t.T("coach_workbook_link"))).Append("</a></p></header>\n");
        html.Append("<table class=\"agents\"><thead><tr><th>").Append(E(t.T("col_agent_name"))).Append("</th><th>").Append(E(t.T("col_calls")))
            .Append("</th><th>").Append(E(t.T("col_mean_score"))).Append("</th><th>").Append(E(t.T("col_vs_team"))).Append("</th><th>")
            .Append(E(t.T("col_min_score"))).Append("</th><th>").Append(E(t.T("coach_moments"))).Append("</th>");
        foreach (var id in team.Checks)
        {
            html.Append("<th>").Append(E(t.CheckName(id))).Append("</th>");
        }

        html.Append("</tr></thead><tbody>\n");
        foreach (var agent in team.Agents)
        {
            var below = agent.MeanScore < team.MeanScore;
            var momentCount = agent.Calls.Sum(c => TeamSummary.FailedMoments(c).Count);
            html.Append("<tr class=\"agent\" data-agent=\"").Append(E(agent.AgentId)).Append("\"><td><a href=\"").Append(E(Uri.EscapeDataString(ReportWriter.SafeFileName(agent.AgentId)) + ".html"))
                .Append("\">").Append(E(agent.DisplayName)).Append("</a> <span class=\"id\">").Append(E(agent.AgentId)).Append("</span></td>")
                .Append("<td class=\"num\">").Append(agent.Calls.Count).Append("</td>")
                .Append("<td class=\"num mean").Append(below ? " below" : "").Append("\">").Append(agent.MeanScore is { } m ? t.Number(m) : "–").Append("</td>")
                .Append("<td class=\"num").Append(below ? " below" : "").Append("\">").Append(Difference(agent.MeanScore, team.MeanScore, t)).Append("</td>")
                .Append("<td class=\"num\">").Append(agent.MinScore is { } min ? t.Number(min) : "–").Append("</td>")
                .Append("<td class=\"num\">").Append(momentCount).Append("</td>");
            foreach (var id in team.Checks)
            {
                var rate = agent.PassRates[id];
                html.Append("<td class=\"num").Append(rate < team.PassRates[id] ? " below" : "").Append("\">").Append(E(t.Percent(rate))).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("<tr class=\"team\"><td>").Append(E(t.T("team_row"))).Append("</td><td class=\"num\">").Append(team.Calls.Count)
            .Append("</td><td class=\"num\">").Append(team.MeanScore is { } tm ? t.Number(tm) : "–").Append("</td><td></td><td></td><td class=\"num\">")
            .Append(team.Calls.Sum(c => TeamSummary.FailedMoments(c).Count)).Append("</td>");
        foreach (var id in team.Checks)
        {
            html.Append("<td class=\"num\">").Append(E(t.Percent(team.PassRates[id]))).Append("</td>");
        }

        html.Append("</tr>\n</tbody></table>\n");
        html.Append("<p class=\"note\">").Append(E(t.T("coach_privacy_note"))).Append("</p>\n</body></html>\n");
        return html.ToString();
    }

    private static string AgentPage(TeamSummary team, AgentSummary agent, ReportText t, CoachSources sources, ClipCutter clips, string fileName, string covers, NightTrend? trend)
    {
        var html = new StringBuilder();
        Head(html, t, agent.DisplayName);
        html.Append("<nav><a href=\"index.html\">").Append(E(t.T("coach_back"))).Append("</a></nav>\n<header><h1>").Append(E(agent.DisplayName))
            .Append(" <span class=\"id\">").Append(E(agent.AgentId)).Append("</span></h1>");
        html.Append("<p class=\"summary\">").Append(E(t.T("coach_agent_summary",
            ("mean", agent.MeanScore is { } mean ? t.Number(mean) : "–"),
            ("team", team.MeanScore is { } tm ? t.Number(tm) : "–"),
            ("difference", Difference(agent.MeanScore, team.MeanScore, t)),
            ("calls", agent.Calls.Count.ToString(t.Culture))))).Append("</p>");
        html.Append("<p><a class=\"review\" href=\"").Append(E(Uri.EscapeDataString(ReviewSheet.XlsxFileName(agent.AgentId)))).Append("\">")
            .Append(E(t.T("coach_review_link"))).Append("</a> (<a class=\"review-csv\" href=\"").Append(E(Uri.EscapeDataString(ReviewSheet.CsvFileName(agent.AgentId))))
            .Append("\">").Append(E(t.T("coach_review_link_csv"))).Append("</a>) ").Append(E(t.T("coach_review_hint"))).Append("</p>");
        html.Append("<p class=\"covers\">").Append(E(covers)).Append("</p></header>\n");
        if (trend is not null)
        {
            html.Append(CoachTrendSvg.Section(trend, agent, t, team.Checks));
        }

        var audioIndex = 0;
        foreach (var call in agent.Calls)
        {
            var m = call.Metadata;
            var moments = TeamSummary.FailedMoments(call);
            html.Append("<section class=\"call\" id=\"call-").Append(E(m.CallId)).Append("\"><h2>").Append(E(m.CallId)).Append(' ');
            if (call.IsJudged)
            {
                html.Append("<span class=\"score").Append(call.Score < (team.MeanScore ?? 0) ? " below" : "").Append("\">")
                    .Append(E(t.T("coach_score", ("score", t.Number(call.Score))))).Append("</span>");
            }
            else
            {
                html.Append("<span class=\"notjudged\">").Append(E(t.T("coach_not_judged", ("reason", call.NotJudgedReason ?? "")))).Append("</span>");
            }

            html.Append("</h2><p class=\"meta\">");
            if (m.StartedAt is { } started)
            {
                html.Append(E(t.DateTime(started))).Append(" · ");
            }

            html.Append(E(t.Time(m.DurationSeconds)));
            var failed = call.IsJudged ? call.Results.Where(r => r.Outcome == Outcome.Fail).ToList() : [];
            html.Append(" · ").Append(E(failed.Count == 0
                ? t.T("coach_no_failed_checks")
                : t.T("coach_failed_checks", ("checks", string.Join(", ", failed.Select(r => t.CheckName(r.CheckId)))))));
            html.Append("</p>\n");
            if (failed.Count > 0)
            {
                html.Append("<ul class=\"summaries\">");
                foreach (var result in failed)
                {
                    html.Append("<li><b>").Append(E(t.CheckName(result.CheckId))).Append("</b>: ").Append(E(t.Summary(result))).Append("</li>");
                }

                html.Append("</ul>\n");
            }

            var transcript = sources.TranscriptOf(call);
            foreach (var finding in moments)
            {
                var id = TeamSummary.MomentId(m.CallId, finding);
                var clip = clips.ClipFor(call, finding);
                html.Append("<article class=\"moment\" data-moment-id=\"").Append(E(id)).Append("\" data-check=\"").Append(E(finding.CheckId)).Append("\"><h3>")
                    .Append(E(t.CheckName(finding.CheckId))).Append(" <span class=\"time\">").Append(E(t.Time(finding.Start))).Append("–")
                    .Append(E(t.Time(finding.End))).Append("</span></h3>\n");
                html.Append("<p class=\"reason\">").Append(E(t.Reason(finding))).Append("</p>\n");
                if (!string.IsNullOrWhiteSpace(finding.Evidence))
                {
                    html.Append("<blockquote class=\"quote\">").Append(E(Quoted(t.Evidence(finding), t))).Append("</blockquote>\n");
                }

                if (clip is not null)
                {
                    audioIndex++;
                    html.Append("<div class=\"player\"><button type=\"button\" class=\"play\" data-audio=\"clip-").Append(audioIndex).Append("\">▶ ")
                        .Append(E(t.T("coach_play"))).Append("</button> <audio id=\"clip-").Append(audioIndex).Append("\" controls preload=\"metadata\" src=\"clips/")
                        .Append(E(Uri.EscapeDataString(clip.Value.FileName))).Append("\"></audio> <span class=\"cliptime\">")
                        .Append(E(t.T("coach_clip_span", ("from", t.Time(clip.Value.From)), ("to", t.Time(clip.Value.To))))).Append("</span></div>\n");
                }
                else
                {
                    html.Append("<p class=\"noclip\">").Append(E(t.T("coach_no_clip"))).Append("</p>\n");
                }

                if (transcript is not null)
                {
                    AppendContext(html, transcript, finding, t);
                }

                html.Append("<p class=\"momentid\">").Append(E(t.T("col_moment_id"))).Append(": <code>").Append(E(id)).Append("</code></p></article>\n");
            }

            html.Append("</section>\n");
        }

        html.Append("<p class=\"note\">").Append(E(t.T("coach_privacy_note"))).Append("</p>\n");
        html.Append("""
            <script>
            document.querySelectorAll('button.play').forEach(function (button) {
              button.addEventListener('click', function () {
                var audio = document.getElementById(button.dataset.audio);
                document.querySelectorAll('audio').forEach(function (other) { if (other !== audio) { other.pause(); } });
                audio.currentTime = 0;
                audio.play();
              });
            });
            </script>
            </body></html>

            """);
        return html.ToString();
    }

    private static void AppendContext(StringBuilder html, CallTranscript transcript, Finding finding, ReportText t)
    {
        var utterances = transcript.Utterances;
        if (utterances.Count == 0)
        {
            return;
        }

        // The moment's turns: first and last by position and how many (a crowded call can put thousands in one moment).
        int first = -1, last = -1, insideCount = 0;
        for (var i = 0; i < utterances.Count; i++)
        {
            if (utterances[i].Start < finding.End + 0.05 && utterances[i].End > finding.Start - 0.05)
            {
                first = first < 0 ? i : first;
                last = i;
                insideCount++;
            }
        }

        if (insideCount == 0)
        {
            first = last = Enumerable.Range(0, utterances.Count).MinBy(i => Math.Abs(utterances[i].Start - finding.Start));
        }

        bool Inside(int i) => insideCount > 0
            ? utterances[i].Start < finding.End + 0.05 && utterances[i].End > finding.Start - 0.05
            : i == first;

        var from = Math.Max(0, first - ContextTurns);
        var to = Math.Min(utterances.Count - 1, last + ContextTurns);
        var shownTo = Math.Min(to, from + MaxContextRows - 1);
        html.Append("<table class=\"transcript\"><thead><tr><th>").Append(E(t.T("col_start"))).Append("</th><th>").Append(E(t.T("col_speaker")))
            .Append("</th><th>").Append(E(t.T("coach_words"))).Append("</th></tr></thead><tbody>\n");
        for (var i = from; i <= shownTo; i++)
        {
            var u = utterances[i];
            html.Append("<tr class=\"").Append(u.Speaker.ToString().ToLowerInvariant()).Append(Inside(i) ? " in-moment" : "").Append("\"><td class=\"time\">")
                .Append(E(t.Time(u.Start))).Append("</td><td class=\"speaker\">").Append(E(t.SpeakerWord(u.Speaker))).Append("</td><td class=\"words\">")
                .Append(E(Shown(u.Text))).Append("</td></tr>\n");
        }

        if (shownTo < to)
        {
            html.Append("<tr class=\"more\"><td colspan=\"3\">").Append(E(string.Create(CultureInfo.InvariantCulture, $"… (+{to - shownTo})")))
                .Append("</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    /// <summary>An utterance's text cut at <see cref="MaxContextChars"/> (never inside a surrogate pair), ending with "…" when cut.</summary>
    private static string Shown(string text)
    {
        if (text.Length <= MaxContextChars)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[MaxContextChars - 1]) ? MaxContextChars - 1 : MaxContextChars;
        return string.Concat(text.AsSpan(0, length), "…");
    }

    /// <summary>Quoted words in the language's one quote style („…” for pl and cs, “…” for en), unless they carry their own quotes (an overlap's "who over whom").</summary>
    private static string Quoted(string words, ReportText t)
    {
        var (open, close) = t.Language == "en" ? ("“", "”") : ("„", "”");
        var trimmed = words.Trim().Trim('"', '\'', '„', '”', '“');
        return words.Contains(open, StringComparison.Ordinal) ? words : open + trimmed + close;
    }

    private static string Difference(double? value, double? team, ReportText t)
    {
        if (value is not { } v || team is not { } tm)
        {
            return "–";
        }

        var d = Math.Round(v - tm, 1);
        return d > 0 ? "+" + t.Number(d) : d < 0 ? "−" + t.Number(-d) : t.Number(0);
    }

    private static void Head(StringBuilder html, ReportText t, string title)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(E(t.Language)).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(E(title)).Append(" – QualityScan</title><style>")
            .Append("""
                body{font-family:system-ui,"DejaVu Sans",Arial,sans-serif;margin:1.5rem auto;max-width:84rem;padding:0 1rem;color:#1d1d1f;line-height:1.4}
                h1{margin:.2rem 0}h2{margin:1.6rem 0 .3rem;font-size:1.25rem;border-top:1px solid #ccc;padding-top:1rem}h3{margin:.2rem 0;font-size:1.05rem}
                .id,.momentid,.meta,.cliptime,.note{color:#666;font-size:.85rem}.summary{font-size:1.05rem}
                table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
                th{background:#d9e1f2}.num{text-align:right}.below{background:#ffc7ce;color:#9c0006}tr.team td{font-weight:bold;background:#f2f2f2}
                .moment{border-left:4px solid #c0392b;background:#fafafa;margin:.8rem 0;padding:.5rem .8rem}.reason{font-weight:600;margin:.3rem 0}
                .quote{margin:.3rem 0;padding:.2rem .6rem;border-left:3px solid #999}.covers{font-weight:600;margin:.2rem 0}
                .trend svg{max-width:100%;height:auto;background:#fff}.changes .better{color:#2e7d32;font-weight:600}.changes .worse{color:#9c0006;font-weight:600}
                .transcript td.time{white-space:nowrap;color:#555}.transcript td.speaker{white-space:nowrap}.transcript tr.in-moment td{background:#fff2cc}
                .score{font-size:1rem;padding:.1rem .4rem;border-radius:.3rem;background:#e2efda}.score.below{background:#ffc7ce;color:#9c0006}
                .notjudged{font-size:1rem;color:#7f6000;background:#fff2cc;padding:.1rem .4rem}
                button.play{font-size:1rem;padding:.25rem .8rem;cursor:pointer}.player{display:flex;align-items:center;gap:.6rem;margin:.4rem 0}
                """)
            .Append("</style></head><body>\n");
    }

    /// <summary>HTML-encodes text for an element or a quoted attribute (&lt; &gt; &amp; quotes and controls), keeping letters readable in the file.</summary>
    private static string E(string? text) => Encoder.Encode(text ?? "");

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static void WriteHtml(string path, string html) =>
        AtomicFile.Write(path, stream => stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html)));

    /// <summary>Cuts and remembers the clips of each call, decoding each recording once.</summary>
    private sealed class ClipCutter(string folder, CoachSources sources, AudioDecoder decoder, List<string> warnings)
    {
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);
        private string? _decodedCall;
        private AudioTracks? _audio;

        /// <summary>Deletes clips of earlier runs that this run did not write (moments gone, or <c>--no-clips</c>): customers' voices are not kept longer than needed.</summary>
        public void RemoveStale()
        {
            if (!Directory.Exists(folder))
            {
                return;
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*.wav"))
            {
                if (!_written.Contains(Path.GetFileName(file)))
                {
                    File.Delete(file);
                }
            }
        }

        public (string FileName, double From, double To)? ClipFor(CallReport call, Finding finding)
        {
            var path = sources.AudioPathOf(call);
            if (path is null)
            {
                return null;
            }

            if (_decodedCall != call.Metadata.CallId)
            {
                _decodedCall = call.Metadata.CallId;
                try
                {
                    _audio = decoder.DecodeTracks(path);
                }
                catch (UnsupportedAudioException ex)
                {
                    _audio = null;
                    warnings.Add($"no clips for call {call.Metadata.CallId}: {ex.Message}");
                }
            }

            if (_audio is null || _audio.FrameCount == 0)
            {
                return null;
            }

            var from = Math.Max(0, finding.Start - ClipBeforeSeconds);
            var to = Math.Min(_audio.DurationSeconds, finding.End + ClipAfterSeconds);
            if (to <= from)
            {
                return null;
            }

            var name = ClipFileName(call.Metadata.CallId, finding);
            var bytes = WavClip.Cut(_audio, from, to);
            AtomicFile.Write(Path.Combine(folder, name), stream => stream.Write(bytes));
            _written.Add(name);
            return (name, from, to);
        }
    }
}
