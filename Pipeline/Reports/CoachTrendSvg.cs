using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using QualityScan.Models;
using QualityScan.Pipeline.History;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// The trend block of a coach agent page: the agent's mean score per night (or week) over the last weeks as an inline
/// SVG line chart, the team's mean as a dashed line beside it, and the checks that got better or worse.
/// </summary>
/// <remarks>
/// Inline SVG, no script and nothing fetched, so the page still opens from a file share. Every point carries its
/// period and score in <c>data-period</c> (yyyy-MM-dd) and <c>data-score</c> (invariant), and a tooltip in the report language.
/// </remarks>
public static class CoachTrendSvg
{
    private const int Width = 720;
    private const int Height = 220;
    private const int Left = 40;
    private const int Right = 16;
    private const int Top = 14;
    private const int Bottom = 34;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The HTML of the block for <paramref name="agent"/>.</summary>
    public static string Section(NightTrend trend, AgentSummary agent, ReportText t, IEnumerable<string> checks)
    {
        ArgumentNullException.ThrowIfNull(trend);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(checks);
        var periods = trend.Periods;
        var points = periods.Select((p, i) => (Index: i, Period: p, Score: trend.Agent(agent.AgentId, p)?.MeanScore)).Where(p => p.Score is not null).ToList();
        var team = periods.Select((p, i) => (Index: i, Period: p, Score: trend.Team(p)?.MeanScore)).Where(p => p.Score is not null).ToList();
        var html = new StringBuilder();
        html.Append("<section class=\"trend\"><h2>").Append(E(t.T("coach_trend_title"))).Append("</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"trend-chart\" role=\"img\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" xmlns=\"http://www.w3.org/2000/svg\" data-by=\"{(trend.By == TrendPeriod.Day ? "night" : "week")}\">");
        html.Append("<title>").Append(E(t.T("coach_trend_alt", ("agent", agent.DisplayName), ("count", points.Count.ToString(t.Culture))))).Append("</title>");
        foreach (var level in new[] { 0, 25, 50, 75, 100 })
        {
            var y = Y(level);
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">{level}</text>");
        }

        var step = Math.Max(1, (int)Math.Ceiling(periods.Count / 12.0));
        for (var i = 0; i < periods.Count; i++)
        {
            if (i % step == 0 || i == periods.Count - 1)
            {
                html.Append(CultureInfo.InvariantCulture, $"<text class=\"period\" x=\"{X(i, periods.Count):0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">")
                    .Append(E(periods[i].ToString(t.DatePattern()[..5], CultureInfo.InvariantCulture))).Append("</text>");
            }
        }

        if (team.Count > 1)
        {
            html.Append("<polyline class=\"team\" fill=\"none\" stroke=\"#888\" stroke-width=\"2\" stroke-dasharray=\"6 4\" points=\"")
                .Append(string.Join(' ', team.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Index, periods.Count):0.#},{Y(p.Score!.Value):0.#}")))).Append("\"/>");
        }

        if (points.Count > 1)
        {
            html.Append("<polyline class=\"agent\" fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"3\" points=\"")
                .Append(string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Index, periods.Count):0.#},{Y(p.Score!.Value):0.#}")))).Append("\"/>");
        }

        foreach (var p in points)
        {
            html.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{X(p.Index, periods.Count):0.#}\" cy=\"{Y(p.Score!.Value):0.#}\" r=\"4.5\" fill=\"#1f4e79\" data-period=\"{p.Period:yyyy-MM-dd}\" data-score=\"{p.Score.Value.ToString("0.0", CultureInfo.InvariantCulture)}\">")
                .Append("<title>").Append(E(t.Date(p.Period) + ": " + t.Number(p.Score.Value))).Append("</title></circle>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<g font-size=\"11\" fill=\"#333\"><line x1=\"{Left + 8}\" y1=\"{Top + 4}\" x2=\"{Left + 32}\" y2=\"{Top + 4}\" stroke=\"#1f4e79\" stroke-width=\"3\"/><text x=\"{Left + 38}\" y=\"{Top + 8}\">")
            .Append(E(t.T("coach_trend_legend_agent")))
            .Append(CultureInfo.InvariantCulture, $"</text><line x1=\"{Left + 140}\" y1=\"{Top + 4}\" x2=\"{Left + 164}\" y2=\"{Top + 4}\" stroke=\"#888\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"{Left + 170}\" y=\"{Top + 8}\">")
            .Append(E(t.T("coach_trend_legend_team"))).Append("</text></g>");
        html.Append("</svg>\n");

        var changes = trend.Changes(agent.AgentId, checks);
        html.Append("<p class=\"changes\">");
        if (points.Count < 2)
        {
            html.Append(E(t.T("coach_trend_first")));
        }
        else if (changes.Count == 0)
        {
            html.Append(E(t.T("coach_trend_steady")));
        }
        else
        {
            var better = changes.Where(c => c.Better).ToList();
            var worse = changes.Where(c => !c.Better).ToList();
            if (better.Count > 0)
            {
                html.Append("<span class=\"better\">").Append(E(t.T("coach_trend_better", ("checks", Describe(better, t))))).Append("</span>");
            }

            if (worse.Count > 0)
            {
                html.Append(better.Count > 0 ? " · " : "").Append("<span class=\"worse\">").Append(E(t.T("coach_trend_worse", ("checks", Describe(worse, t))))).Append("</span>");
            }
        }

        html.Append("</p></section>\n");
        return html.ToString();
    }

    private static string Describe(IEnumerable<CheckChange> changes, ReportText t) =>
        string.Join(", ", changes.Select(c => t.T("coach_trend_change", ("check", t.CheckName(c.CheckId)), ("before", t.Percent(c.Before)), ("now", t.Percent(c.Now)))));

    private static double X(int index, int count) =>
        count <= 1 ? (Left + Width - Right) / 2.0 : Left + 12 + index * (Width - Left - Right - 24) / (double)(count - 1);

    private static double Y(double score) => Top + 14 + (100 - Math.Clamp(score, 0, 100)) * (Height - Top - 14 - Bottom) / 100.0;

    private static string E(string text) => Encoder.Encode(text);
}
