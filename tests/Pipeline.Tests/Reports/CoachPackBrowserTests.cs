using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Tests.Batch;

namespace QualityScan.Pipeline.Tests.Reports;

/// <summary>
/// The coach pack as a coach opens it: the sample calls are scanned with the shipped model, one customer line of the
/// worst agent's worst call is edited to hold a script tag (customers' words are untrusted), the scan is run again
/// (reusing the transcripts), and the pages are opened in Debian's chromium through Playwright.
/// </summary>
[TestFixture]
[Category("model")]
[Category("browser")]
[NonParallelizable]
public sealed class CoachPackBrowserTests
{
    private const string Injected = "<script>document.title='XSS'</script> <b>bold</b>";

    private string _out = "";
    private string _worstAgent = "";
    private HeadlessChromium? _chromium;

    [OneTimeSetUp]
    public async Task ScanSamplesAndStartBrowser()
    {
        HeadlessChromium.Require();

        var samples = RepositoryPaths.SampleAudio;
        _out = Path.Combine(Path.GetTempPath(), $"qs-coach-{Guid.NewGuid():N}");
        Assert.That(await new ScanCommand().RunAsync([samples, "--out", _out], CancellationToken.None), Is.EqualTo(ExitCodes.Success));

        // The worst agent by agents.csv (the machine contract, written apart from the pages).
        var agents = ReportWriter.Read<AgentRow, AgentRowMap>(Path.Combine(_out, ReportWriter.AgentsFile));
        _worstAgent = agents.OrderBy(a => a.MeanScore).First().AgentId;
        var worstCall = agents.OrderBy(a => a.MeanScore).First().WorstCall!;

        var transcriptPath = Path.Combine(_out, "transcripts", worstCall + ".json");
        var json = JsonNode.Parse(File.ReadAllText(transcriptPath))!;
        var customerLine = json["utterances"]!.AsArray().First(u => (string?)u!["speaker"] == "customer")!;
        customerLine["text"] = (string?)customerLine["text"] + " " + Injected;
        File.WriteAllText(transcriptPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Assert.That(await new ScanCommand().RunAsync([samples, "--out", _out], CancellationToken.None), Is.EqualTo(ExitCodes.Success));

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
    public async Task IndexPage_OpensWithoutErrors_AndListsAgentsWorstFirst()
    {
        var (page, errors) = await OpenAsync("index.html");

        var listed = await page.Locator("tr.agent").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.agent)");
        var agents = ReportWriter.Read<AgentRow, AgentRowMap>(Path.Combine(_out, ReportWriter.AgentsFile));

        Assert.That(errors, Is.Empty, "no console errors on the team page");
        Assert.That(listed, Is.EqualTo(agents.OrderBy(a => a.MeanScore).Select(a => a.AgentId).ToArray()), "agents worst first");
        Assert.That(await page.Locator("tr.team").CountAsync(), Is.EqualTo(1), "the team row is there");
        Assert.That(await page.Locator("th").AllInnerTextsAsync(), Does.Contain("Powitanie"), "Polish headers for Polish rule packs");
        await page.Locator($"a[href='{_worstAgent}.html']").ClickAsync();
        Assert.That(page.Url, Does.EndWith($"/coach/{_worstAgent}.html"), "the agent's name links to the agent's page");
    }

    [Test]
    public async Task WorstAgentPage_ListsEveryFailedMomentWithItsReason()
    {
        var (page, errors) = await OpenAsync(_worstAgent + ".html");

        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(_out, ReportWriter.CallsFile)).ToDictionary(c => c.CallId);
        var expected = ReportWriter.Read<FindingRow, FindingRowMap>(Path.Combine(_out, ReportWriter.FindingsFile))
            .Where(f => f.AgentId == _worstAgent && f.Outcome == "fail" && calls[f.CallId].FailedChecks.Split(';').Contains(f.Check))
            .ToList();
        var listed = await page.Locator("article.moment").EvaluateAllAsync<Moment[]>(
            "articles => articles.map(a => ({ id: a.dataset.momentId, reason: a.querySelector('.reason').textContent }))");
        var polish = MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema);

        Assert.That(errors, Is.Empty, "no console errors on the agent page");
        Assert.That(expected, Is.Not.Empty, "the worst agent has failed moments");
        Assert.That(listed.Select(m => m.Id), Is.Unique, "moment ids are unique");
        Assert.That(listed.Select(m => m.Id), Is.EquivalentTo(expected.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.CallId}:{f.Check}:{f.StartSeconds:0.00}")).Distinct()),
            "every failed finding of findings.csv is a moment on the page, with the documented id");
        Assert.Multiple(() =>
        {
            foreach (var finding in expected)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{finding.CallId}:{finding.Check}:{finding.StartSeconds:0.00}");
                var reason = listed.Single(m => m.Id == id).Reason;
                Assert.That(reason, Is.Not.Empty.And.Not.EqualTo(finding.Message), $"{id}: the reason is shown in Polish, not English");
            }
        });
        var dontKnow = expected.Where(f => f.Check == "dont_know").Select(f => listed.Single(m => m.Id.StartsWith($"{f.CallId}:dont_know:", StringComparison.Ordinal)).Reason);
        Assert.That(dontKnow, Is.All.EqualTo(polish.Text("findings.dont_know_unresolved")), "a bare 'nie wiem' gets the Polish reason of the messages file");
    }

    [Test]
    public async Task WorstAgentPage_PressingPlay_PlaysTheMomentsClip()
    {
        var (page, errors) = await OpenAsync(_worstAgent + ".html");
        var button = page.Locator("button.play").First;
        var audioId = await button.GetAttributeAsync("data-audio");

        await button.ClickAsync();
        await page.WaitForFunctionAsync($"document.getElementById('{audioId}').currentTime > 0.3", null, new PageWaitForFunctionOptions { Timeout = 15000 });
        var paused = await page.EvaluateAsync<bool>($"document.getElementById('{audioId}').paused");

        Assert.That(paused, Is.False, "the clip is playing");
        Assert.That(errors, Is.Empty, "the clip loads and plays without errors");
    }

    [Test]
    public async Task WorstAgentPage_ScriptInATranscript_IsShownAsText()
    {
        var (page, errors) = await OpenAsync(_worstAgent + ".html");

        var shown = await page.Locator("td.words").AllInnerTextsAsync();
        var title = await page.TitleAsync();
        var bold = await page.Locator("td.words b").CountAsync();
        Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots"));
        var shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", "coach-agent.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = false });
        TestContext.Out.WriteLine($"screenshot: {shot}");

        Assert.That(shown.Any(t => t.Contains(Injected, StringComparison.Ordinal)), Is.True, "the customer's '<script>' words are shown as they were said");
        Assert.That(title, Is.Not.EqualTo("XSS"), "the script did not run");
        Assert.That(bold, Is.Zero, "no markup from a transcript reaches the page");
        Assert.That(errors, Is.Empty);
    }

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string file)
    {
        var page = await _chromium!.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        page.RequestFailed += (_, request) =>
        {
            // A media element cancels its own range requests once it has what it needs (net::ERR_ABORTED): not an error.
            if (request.Failure != "net::ERR_ABORTED")
            {
                errors.Add($"failed to load {request.Url}: {request.Failure}");
            }
        };
        await page.GotoAsync(new Uri(Path.Combine(_out, CoachPackWriter.Folder, file)).AbsoluteUri);
        return (page, errors);
    }

    private sealed class Moment
    {
        public string Id { get; set; } = "";

        public string Reason { get; set; } = "";
    }
}
