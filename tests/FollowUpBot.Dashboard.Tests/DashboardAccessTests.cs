using System.Net;
using Dapper;
using FollowUpBot.Core.Dashboard;
using FollowUpBot.Storage;

namespace FollowUpBot.Dashboard.Tests;

/// <summary>Links, sessions and who may see what, over HTTP against the real web host.</summary>
public sealed class DashboardAccessTests : IAsyncLifetime
{
    private DashboardSite _site = null!;
    private DashboardClient _client = null!;

    public async Task InitializeAsync()
    {
        _site = await DashboardSite.StartAsync();
        _client = new DashboardClient(_site);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task TheLinkIsUnderThePublicUrlWithItsKeyInTheFragmentWhichNoServerSees()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);

        var link = await _site.LinkAsync();

        Assert.Equal(new Uri(_site.Address, "/dashboard/login"), new Uri(link.GetLeftPart(UriPartial.Path)));
        Assert.Matches("^#[A-Za-z0-9_-]{43}$", link.Fragment);
        var answer = await _site.SayAsync(DashboardSite.Coach, "/cohort dashboard");
        Assert.Contains("It works once, within 10 minutes (until Mon 7 Dec 11:10), and signs that browser in for 8 hours.", answer);
    }

    [Fact]
    public async Task OpeningTheLinkSetsAnHttpOnlyLaxSessionCookieForEightHoursScopedToTheDashboard()
    {
        var cohort = await _site.CreateCohortAsync(DashboardSite.Coach);

        var response = await _client.LoginAsync(await _site.LinkAsync());

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location!.ToString());
        var flags = _client.SetCookie!.Split("; ").Skip(1).ToList();
        Assert.Contains("httponly", flags);
        Assert.Contains("samesite=lax", flags);
        Assert.Contains("path=/dashboard", flags);
        Assert.Contains("max-age=28800", flags);
        Assert.DoesNotContain("secure", flags); // the site is plain http here
        var (status, body) = await _client.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"href=\"/dashboard/cohorts/{cohort.Id}\"", body);
    }

    [Fact]
    public async Task TheCookieIsSecureWhenThePublicUrlIsHttps()
    {
        await using var site = await DashboardSite.StartAsync(publicUrl: "https://coach.example.org");
        using var client = new DashboardClient(site);
        await site.CreateCohortAsync(DashboardSite.Coach);

        var link = await site.LinkAsync();
        await client.LoginAsync(link);

        Assert.StartsWith("https://coach.example.org/dashboard/login#", link.ToString());
        Assert.Contains("secure", client.SetCookie!.Split("; "));
    }

    [Fact]
    public async Task BehindATrustedProxyThatForwardsHttpsTheCookieIsSecure()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);

        // The test connects from loopback, which is always a trusted proxy.
        await _client.LoginAsync(await _site.LinkAsync(), headers: new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });

        Assert.Contains("secure", _client.SetCookie!.Split("; "));
    }

    [Fact]
    public async Task ALinkWorksOnceAndASecondOpeningIsRefused()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);
        var link = await _site.LinkAsync();
        Assert.Equal(HttpStatusCode.SeeOther, (await _client.LoginAsync(link)).StatusCode);

        using var other = new DashboardClient(_site);
        var again = await other.LoginAsync(link);

        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("This link no longer works", await again.Content.ReadAsStringAsync());
        Assert.Null(other.Session);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/dashboard/")).Status);
    }

    [Fact]
    public async Task ALinkOpensWithinTenMinutesAndNotAfter()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);
        var early = await _site.LinkAsync();
        var late = await _site.LinkAsync();

        _site.Clock.Advance(TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.SeeOther, (await _client.LoginAsync(early)).StatusCode);
        _site.Clock.Advance(TimeSpan.FromSeconds(1));
        using var other = new DashboardClient(_site);
        var refused = await other.LoginAsync(late);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Links work once and only for 10 minutes", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheSessionEndsAfterEightHoursAndOnSignOut()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);
        await _client.LoginAsync(await _site.LinkAsync());

        _site.Clock.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/dashboard/")).Status);
        _site.Clock.Advance(TimeSpan.FromSeconds(1));
        var (status, body) = await _client.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("/cohort dashboard", body);
    }

    [Fact]
    public async Task AnotherCoachsCohortAnswersExactlyLikeAMissingOne()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);
        var theirs = await _site.CreateCohortAsync(DashboardSite.OtherCoach, "Spring 2027");
        await _site.MemberJoinsAsync(theirs, "Ana", "full");
        await _client.LoginAsync(await _site.LinkAsync());

        var other = await _client.GetAsync($"/dashboard/cohorts/{theirs.Id}");
        var missing = await _client.GetAsync("/dashboard/cohorts/987654");

        Assert.Equal(HttpStatusCode.NotFound, other.Status);
        Assert.Equal(missing.Status, other.Status);
        Assert.Equal(Strip(missing.Body), Strip(other.Body));
        Assert.DoesNotContain("Spring 2027", (await _client.GetAsync("/dashboard/")).Body);
        foreach (var path in new[] { "/trends", "/chart.png", "/members/1" })
            Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/dashboard/cohorts/{theirs.Id}{path}")).Status);
    }

    /// <summary>A page without its per-response nonce.</summary>
    private static string Strip(string page) => System.Text.RegularExpressions.Regex.Replace(page, "nonce=\"[^\"]+\"", "");

    [Fact]
    public async Task WithoutASessionEveryPageIsRefused()
    {
        var cohort = await _site.CreateCohortAsync(DashboardSite.Coach);
        _client.Session = "not-a-session-at-all-but-forty-three-chars";

        foreach (var path in new[] { "/dashboard/", $"/dashboard/cohorts/{cohort.Id}", $"/dashboard/cohorts/{cohort.Id}/chart.png" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync(path)).Status);
    }

    [Fact]
    public async Task ASignInPostedFromAnotherSiteIsRefusedAndUsesNothingUp()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);
        var link = await _site.LinkAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.LoginAsync(link, origin: "https://evil.example")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.LoginAsync(link,
            headers: new Dictionary<string, string> { ["Sec-Fetch-Site"] = "cross-site" })).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await _client.LoginAsync(link, origin: _site.Address.GetLeftPart(UriPartial.Authority))).StatusCode);
    }

    [Fact]
    public async Task NeitherTheLinkNorTheSessionIsLoggedOrStoredOnlyTheirHashes()
    {
        var cohort = await _site.CreateCohortAsync(DashboardSite.Coach);
        var link = await _site.LinkAsync();
        var token = link.Fragment.TrimStart('#');
        await _client.LoginAsync(link);
        await _client.GetAsync($"/dashboard/cohorts/{cohort.Id}");
        await new DashboardClient(_site).LoginAsync(link); // refused: logged without the token

        Assert.NotNull(_client.Session);
        Assert.Contains(_site.Logs.Lines, l => l.Contains("opened the web view", StringComparison.Ordinal));
        Assert.Contains(_site.Logs.Lines, l => l.Contains("link was refused", StringComparison.Ordinal));
        Assert.DoesNotContain(_site.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(_client.Session!, StringComparison.Ordinal));

        await using var connection = await _site.Get<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var links = (await connection.QueryAsync<string>("SELECT token_hash FROM dashboard_links")).ToList();
        var sessions = (await connection.QueryAsync<string>("SELECT session_hash FROM dashboard_sessions")).ToList();
        Assert.Equal([DashboardTokens.Hash(token)], links);
        Assert.Equal([DashboardTokens.Hash(_client.Session!)], sessions);
    }

    [Fact]
    public async Task PagesForbidFramingCachingAndScriptsWithoutTheirNonce()
    {
        await _site.CreateCohortAsync(DashboardSite.Coach);
        await _client.LoginAsync(await _site.LinkAsync());

        using var response = await _client.SendAsync("/dashboard/");

        var csp = string.Join("", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Matches("script-src 'nonce-[^']+'", csp);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("same-origin", string.Join("", response.Headers.GetValues("Referrer-Policy")));
    }
}
