using System.Globalization;
using Microsoft.Playwright;
using QualityScan.Models;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Naming;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Tests.Batch;

namespace QualityScan.Pipeline.Tests.Reports;

/// <summary>
/// The agent's trend on a coach page as a coach sees it: a history holds three earlier nights in which every check
/// passed and each agent scored a known mean; the sample calls are scanned as the night of 22.11.2026 (given the Polish
/// way) with that history, and the pages are opened in Debian's chromium.
/// </summary>
[TestFixture]
[Category("model")]
[Category("browser")]
[NonParallelizable]
public sealed class CoachTrendBrowserTests
{
    private static readonly DateOnly[] Earlier = [new(2026, 11, 19), new(2026, 11, 20), new(2026, 11, 21)];
    private static readonly double[] EarlierScores = [70, 80, 90];

    private string _out = "";
    private IReadOnlyList<AgentRow> _agents = [];
    private HeadlessChromium? _chromium;

    [OneTimeSetUp]
    public async Task SeedHistoryScanAndStartBrowser()
    {
        HeadlessChromium.Require();
        _out = Path.Combine(Path.GetTempPath(), $"qs-coach-trend-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_out);
        var history = Path.Combine(_out, "history.db");
        var zone = LocalTime.Zone("Europe/Warsaw");
        using (var store = SqliteHistoryStore.Open(history))
        {
            for (var i = 0; i < Earlier.Length; i++)
            {
                var night = Earlier[i];
                var at = new DateTimeOffset(night.ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(1));
                var run = new HistoryRun($"seed-{i}", at, at, night, "/in", "test", "model", "rules", 3, 0, false);
                var calls = new[] { "kkowalska", "polszewski", "jvesely" }.Select(agent => HistoryCall.From(
                    new CallReport(new CallMetadata($"{agent}-{i}", agent, agent, "Telkom", "pl", 60) { StartedAt = at.AddHours(-12) },
                        CheckIds.All.Select(id => new CheckResult(id, Outcome.Pass, [], "")).ToList(), EarlierScores[i]),
                    run, zone)).ToList();
                store.Record(run, calls);
            }
        }

        Assert.That(await new ScanCommand().RunAsync([RepositoryPaths.SampleAudio, "--out", _out, "--date", "22.11.2026", "--history", history], CancellationToken.None),
            Is.EqualTo(ExitCodes.Success));
        _agents = ReportWriter.Read<AgentRow, AgentRowMap>(Path.Combine(_out, ReportWriter.AgentsFile));

        _chromium = await HeadlessChromium.StartAsync();
    }

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Test]
    public async Task AgentPage_FourNights_DrawsOnePointPerNightWithTonightsMeanLast()
    {
        var worst = _agents.OrderBy(a => a.MeanScore).First();
        var page = await OpenAsync(worst.AgentId + ".html");

        var points = await page.Locator("section.trend svg circle.point").EvaluateAllAsync<string[][]>(
            "circles => circles.map(c => [c.dataset.period, c.dataset.score])");
        var box = await page.Locator("section.trend svg").BoundingBoxAsync();
        var linked = await page.EvaluateAsync<int>("document.querySelectorAll('section.trend [href], section.trend [src], section.trend image, section.trend use').length");
        await Screenshot(page, "coach-agent-trend.png");

        Assert.That(points.Select(p => p[0]), Is.EqualTo(new[] { "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22" }), "one point per night, oldest first");
        Assert.That(points.Select(p => double.Parse(p[1], CultureInfo.InvariantCulture)),
            Is.EqualTo(EarlierScores.Append(Math.Round(worst.MeanScore!.Value, 1))), "the stored nights' scores, then tonight's mean from agents.csv");
        Assert.That(box, Is.Not.Null.And.Property(nameof(LocatorBoundingBoxResult.Width)).GreaterThan(300), "the chart is drawn on the page, not hidden");
        Assert.That(linked, Is.Zero, "the trend is inline SVG: it links and fetches nothing");
    }

    [Test]
    public async Task AgentPage_ChecksPassedEveryEarlierNight_FailedTonightAreNamedWorse()
    {
        var worst = _agents.OrderBy(a => a.MeanScore).First();
        var page = await OpenAsync(worst.AgentId + ".html");

        var worse = await page.Locator("section.trend .changes .worse").InnerTextAsync();
        var better = await page.Locator("section.trend .changes .better").CountAsync();
        var rates = new Dictionary<string, double?>
        {
            ["Powitanie"] = worst.PassRates["greeting"],
            ["Zakończenie rozmowy"] = worst.PassRates["closing"],
        };

        Assert.That(better, Is.Zero, "every check passed on the earlier nights: nothing can be better");
        Assert.Multiple(() =>
        {
            foreach (var (check, rate) in rates.Where(r => r.Value <= 0.9))
            {
                Assert.That(worse, Does.Contain(check + " (100% → " + Math.Round(rate!.Value * 100).ToString("0", CultureInfo.InvariantCulture) + "%)"),
                    $"{check} passed every earlier night and {rate:P0} tonight (agents.csv)");
            }
        });
        Assert.That(worse, Does.StartWith("Gorzej niż wcześniej:"));
    }

    [Test]
    public async Task IndexAndAgentPages_NameTheNightAndUseOneTimeFormat()
    {
        var index = await OpenAsync("index.html");
        var covers = await index.Locator("p.covers").InnerTextAsync();
        var worst = _agents.OrderBy(a => a.MeanScore).First();
        var page = await OpenAsync(worst.AgentId + ".html");
        var times = await page.Locator("h3 .time, td.time").AllInnerTextsAsync();
        var meta = await page.Locator("p.meta").AllInnerTextsAsync();
        var quotes = await page.Locator("blockquote.quote").AllInnerTextsAsync();
        var summaries = await page.Locator("ul.summaries li").AllInnerTextsAsync();

        Assert.That(covers, Is.EqualTo("Noc 22.11.2026 (niedziela)"), "the coach index names the night");
        Assert.That(times, Is.Not.Empty);
        Assert.That(times.SelectMany(t => t.Split('–')), Is.All.Match(@"^\d+:\d\d,\d$"), "moment and turn times with a decimal comma: 0:04,7");
        Assert.That(meta, Is.All.Match(@"^22\.11\.2026 \d\d:\d\d · \d+:\d\d,\d"), "the start dd.MM.yyyy HH:mm and the length in the same time form");
        Assert.That(quotes, Is.Not.Empty.And.All.Match("^„|: „"), "quoted words in Polish quotation marks");
        Assert.That(summaries.Where(s => s.Contains('„', StringComparison.Ordinal)), Is.Not.Empty, "the checks' summaries quote words too");
        Assert.That(summaries, Has.None.Contain("\""), "one quote style: no straight quotes in the summaries");
    }

    private static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots"));
        var shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = false });
        TestContext.Out.WriteLine($"screenshot: {shot}");
    }

    private Task<IPage> OpenAsync(string file) => _chromium!.OpenAsync(Path.Combine(_out, CoachPackWriter.Folder, file));
}
