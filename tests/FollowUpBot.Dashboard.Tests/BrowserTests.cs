using FollowUpBot.Core.Ports;
using FollowUpBot.Testing;
using Microsoft.Playwright;

namespace FollowUpBot.Dashboard.Tests;

/// <summary>
/// One headless Chromium for the browser tests: Debian's (apt-get install chromium), driven by Playwright. Playwright's
/// own browser download is never used. A machine without Chromium fails these tests, saying how to install it.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string DefaultPath = "/usr/bin/chromium";

    public static string ExecutablePath => Environment.GetEnvironmentVariable("FOLLOWUPBOT_CHROMIUM") is { Length: > 0 } path ? path : DefaultPath;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            Assert.Fail($"The browser tests need Chromium at {ExecutablePath}, which is missing. Install it with " +
                        "`apt-get update && apt-get install -y --no-install-recommends chromium` (CI's .ci/run does), " +
                        "or point FOLLOWUPBOT_CHROMIUM at a Chromium executable.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The web view in a real browser: the link's page posts its key, the cookie carries the session.</summary>
public sealed class BrowserTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private DashboardSite _site = null!;

    public async Task InitializeAsync() => _site = await DashboardSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private async Task<IPage> NewPageAsync()
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Opens a link the way a coach does (clicking it in the chat) and waits for wherever it leads.</summary>
    private static async Task OpenLinkAsync(IPage page, Uri link)
    {
        await page.GotoAsync(link.ToString());
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    [Fact]
    public async Task ACoachSignsInThroughTheLinkAndSeesTheCohortTable()
    {
        var cohort = await _site.CreateCohortAsync(DashboardSite.Coach);
        await _site.MemberJoinsAsync(cohort, "Ana", "full");
        await _site.MemberJoinsAsync(cohort, "Bob", "status", "Globex");
        var page = await NewPageAsync();

        await OpenLinkAsync(page, await _site.LinkAsync());

        Assert.EndsWith("/dashboard/", page.Url); // the link's key is gone from the address bar and history
        await page.GetByRole(AriaRole.Link, new() { Name = "Fall 2026" }).ClickAsync();
        var rows = page.Locator("#cohort-table tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Contains("Acme", await rows.Nth(0).InnerTextAsync());
        Assert.Contains("interviewing", await rows.Nth(0).InnerTextAsync());
        var bob = await rows.Nth(1).InnerTextAsync();
        Assert.Contains("Bob", bob);
        Assert.DoesNotContain("Globex", bob);
        // The chart arrives as its own request: wait until the browser has decoded it.
        await page.WaitForFunctionAsync("() => { const img = document.querySelector('img.chart'); return img && img.complete && img.naturalWidth === 1000; }");

        await page.GetByRole(AriaRole.Link, new() { Name = "Ana" }).ClickAsync();
        Assert.Contains("Backend Engineer", await page.Locator("#applications").InnerTextAsync());
        Assert.DoesNotContain(SampleCohort.SecretNotes, await page.ContentAsync());
    }

    [Fact]
    public async Task AnotherCoachsCohortIsRefused()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);
        var theirs = await _site.CreateCohortAsync(DashboardSite.OtherCoach, "Spring 2027");
        var page = await NewPageAsync();
        await OpenLinkAsync(page, await _site.LinkAsync());

        var response = await page.GotoAsync(new Uri(_site.Address, $"/dashboard/cohorts/{theirs.Id}").ToString());

        Assert.Equal(404, response!.Status);
        Assert.Contains("None of your cohorts has that number", await page.InnerTextAsync("main"));
        Assert.DoesNotContain("Spring 2027", await page.ContentAsync());
    }

    [Fact]
    public async Task AMemberVanishesFromTheTableAfterCohortLeave()
    {
        var cohort = await _site.CreateCohortAsync(DashboardSite.Coach);
        var ana = await _site.MemberJoinsAsync(cohort, "Ana", "full");
        await _site.MemberJoinsAsync(cohort, "Bob", "companies", "Globex");
        var page = await NewPageAsync();
        await OpenLinkAsync(page, await _site.LinkAsync());
        await page.GotoAsync(new Uri(_site.Address, $"/dashboard/cohorts/{cohort.Id}").ToString());
        Assert.Contains("Ana", await page.InnerTextAsync("#cohort-table"));

        await _site.SayAsync(ana, "/cohort leave");
        await page.ReloadAsync();

        var table = await page.InnerTextAsync("#cohort-table");
        Assert.DoesNotContain("Ana", table);
        Assert.Contains("Bob", table);
    }

    [Fact]
    public async Task AnExpiredOrReusedLinkIsRefused()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);
        var used = await _site.LinkAsync();
        await OpenLinkAsync(await NewPageAsync(), used);

        var again = await NewPageAsync();
        await OpenLinkAsync(again, used);
        Assert.Contains("This link no longer works", await again.InnerTextAsync("main"));

        var expired = await _site.LinkAsync();
        _site.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var late = await NewPageAsync();
        await OpenLinkAsync(late, expired);
        Assert.Contains("This link no longer works", await late.InnerTextAsync("main"));
        var dashboard = await late.GotoAsync(new Uri(_site.Address, "/dashboard/").ToString());
        Assert.Equal(401, dashboard!.Status);
    }

    [Fact]
    public async Task ScreenshotOfTheWebViewForTheReadme()
    {
        var cohort = await _site.CreateCohortAsync(DashboardSite.Coach);
        await SampleCohort.StoreAsync(SampleCohort.Members(20, DashboardSite.T0), cohort,
            _site.Get<IMemberRepository>(), _site.Get<IInterviewRepository>(), _site.Get<ICohortRepository>());
        var page = await NewPageAsync();
        await OpenLinkAsync(page, await _site.LinkAsync());
        await page.GotoAsync(new Uri(_site.Address, $"/dashboard/cohorts/{cohort.Id}?sort=quiet&order=desc").ToString());
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal(20, await page.Locator("#cohort-table tbody tr").CountAsync());
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        Assert.True(png.Length > 10_000);
        if (RepositoryFolder.ScreenshotFolder is { } folder) await File.WriteAllBytesAsync(Path.Combine(folder, "web-view.png"), png);
    }
}
