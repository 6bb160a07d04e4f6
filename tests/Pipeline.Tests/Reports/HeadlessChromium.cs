using Microsoft.Playwright;

namespace QualityScan.Pipeline.Tests.Reports;

/// <summary>Debian's chromium, headless, driven through Playwright: how the browser tests open the coach pages.</summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>The running browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>Ignores the test when chromium is not installed.</summary>
    public static void Require()
    {
        if (!File.Exists(Executable))
        {
            Assert.Ignore($"{Executable} is not installed (scripts/ensure-packages.sh chromium installs it)");
        }
    }

    /// <summary>Starts the browser with no network chatter of its own, so every request a page makes is the page's.</summary>
    public static async Task<HeadlessChromium> StartAsync()
    {
        Require();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>Opens a local file in a new 1280×1000 page.</summary>
    public async Task<IPage> OpenAsync(string path)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        await page.GotoAsync(new Uri(path).AbsoluteUri);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
