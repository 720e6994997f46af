using System.Net;
using System.Text.RegularExpressions;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Testing;

namespace FollowUpBot.Dashboard.Tests;

/// <summary>What the pages show of each member: exactly their level, read afresh on every load.</summary>
public sealed partial class DashboardPageTests : IAsyncLifetime
{
    private DashboardSite _site = null!;
    private DashboardClient _client = null!;
    private Cohort _cohort = null!;

    public async Task InitializeAsync()
    {
        _site = await DashboardSite.StartAsync();
        _client = new DashboardClient(_site);
        _cohort = await _site.CreateCohortAsync(DashboardSite.Coach);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    /// <summary>The page as sent (signing in first if needed).</summary>
    private async Task<string> RawAsync(string path)
    {
        if (_client.Session is null) await _client.LoginAsync(await _site.LinkAsync());
        var (status, body) = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    private async Task<string> PageAsync(string path) => WebUtility.HtmlDecode(await RawAsync(path));

    private string CohortPath => $"/dashboard/cohorts/{_cohort.Id}";

    private async Task<long> MemberIdAsync(string userId) =>
        (await _site.Get<IMemberRepository>().FindAsync(new MemberKey("test", "w1", userId), CancellationToken.None))!.Id;

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    /// <summary>The visible text of a page (tags removed), as a reader or a screen reader gets it.</summary>
    private static string Visible(string page) => Tags().Replace(page[Math.Max(0, page.IndexOf("<main>", StringComparison.Ordinal))..], " ");

    [Theory]
    [InlineData("status", false, false)]
    [InlineData("companies", true, false)]
    [InlineData("full", true, true)]
    public async Task AMembersPageShowsExactlyTheirLevel(string level, bool company, bool details)
    {
        await _site.MemberJoinsAsync(_cohort, "Ana", level);

        var page = await PageAsync($"{CohortPath}/members/{await MemberIdAsync("ana")}");
        var text = Visible(page);

        Assert.Contains("Ana", text);
        Assert.Contains("Applications in progress 1", Regex.Replace(text, @"\s+", " "));
        Assert.Equal(company, text.Contains("Acme", StringComparison.Ordinal));
        Assert.Equal(details, text.Contains("Backend Engineer", StringComparison.Ordinal));
        Assert.Equal(details, text.Contains("Thu 10 Dec", StringComparison.Ordinal)); // the decision date
        Assert.Equal(details, text.Contains("interviewing", StringComparison.Ordinal)); // the stage
        Assert.DoesNotContain(SampleCohort.SecretNotes, page);
        Assert.DoesNotContain("Kim Lee", page); // interviewers are never shown
    }

    [Theory]
    [InlineData("status")]
    [InlineData("companies")]
    [InlineData("full")]
    public async Task TheCohortTableShowsEachMemberAtTheirLevelAndTheTotalsWithoutNames(string level)
    {
        await _site.MemberJoinsAsync(_cohort, "Ana", level);

        var page = await PageAsync(CohortPath);
        var table = Visible(page[page.IndexOf("<table id=\"cohort-table\"", StringComparison.Ordinal)..]);
        var summary = Visible(page[..page.IndexOf("<table id=\"cohort-table\"", StringComparison.Ordinal)]);

        Assert.Contains("Ana", table);
        Assert.Equal(level != "status", table.Contains("Acme", StringComparison.Ordinal));
        Assert.Equal(level == "full", table.Contains("interviewing", StringComparison.Ordinal));
        Assert.DoesNotContain("Backend Engineer", table);
        // Above the table: at full detail her decision date by name; below it nothing of hers, not even in a total
        // (one member sharing less is too few to hide in a total).
        Assert.Equal(level == "full", summary.Contains("Ana: decision from Acme (Backend Engineer) expected by Thu 10 Dec", StringComparison.Ordinal));
        Assert.DoesNotContain(level == "full" ? "left out of these totals" : "Acme", summary);
        Assert.Equal(level == "full" ? "1 open application across 1 member: 1 interviewing." : "No open applications across 0 members.",
            Regex.Match(summary, @"(1 open application|No open applications)[^.]*\.").Value);
        Assert.DoesNotContain(SampleCohort.SecretNotes, page);
        // The chart's alt text says the same totals, and no name.
        var alt = Regex.Match(page, "<img class=\"chart\"[^>]* alt=\"([^\"]*)\"").Groups[1].Value;
        Assert.Contains(level == "full" ? "totals over 1 member" : "totals over 0 members", WebUtility.HtmlDecode(alt));
        Assert.DoesNotContain("Ana", alt);
    }

    [Fact]
    public async Task TheChartIsTheSamePngTheDigestCarries()
    {
        await _site.MemberJoinsAsync(_cohort, "Ana", "full");
        await PageAsync(CohortPath);

        using var response = await _client.SendAsync($"{CohortPath}/chart.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await response.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task ALevelChangeAndLeavingShowOnTheNextPageLoad()
    {
        var ana = await _site.MemberJoinsAsync(_cohort, "Ana", "full");
        var path = $"{CohortPath}/members/{await MemberIdAsync("ana")}";
        Assert.Contains("Backend Engineer", Visible(await PageAsync(path)));

        await _site.SayAsync(ana, "/cohort level level:status");
        var lowered = Visible(await PageAsync(path));
        Assert.DoesNotContain("Backend Engineer", lowered);
        Assert.DoesNotContain("Acme", lowered);

        await _site.SayAsync(ana, "/cohort leave");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(path)).Status);
        Assert.DoesNotContain("Ana", Visible(await PageAsync(CohortPath)));
    }

    [Fact]
    public async Task TheNeedsAWordFilterKeepsOnlyMembersWithAReason()
    {
        var ana = await _site.MemberJoinsAsync(_cohort, "Ana", "full", interview: false);
        // Bob: quiet for 15 days; Ana has nothing open and was just active.
        await _site.MemberJoinsAsync(_cohort, "Bob", "status", "Globex");
        _site.Clock.Advance(TimeSpan.FromDays(15));
        await _site.SayAsync(ana, "/interview list");

        var all = Visible(await PageAsync(CohortPath));
        var filtered = Visible(await PageAsync(CohortPath + "?filter=needs-a-word"));

        Assert.Contains("Members (2)", all);
        Assert.Contains("Members who may need a word (1)", filtered);
        var table = filtered[filtered.IndexOf("Members who may need a word", StringComparison.Ordinal)..];
        Assert.Contains("Bob", table);
        Assert.Contains("quiet 14+ days", table);
        Assert.DoesNotContain("Ana", table);
    }

    [Fact]
    public async Task TheTableSortsByAColumnBothWays()
    {
        await _site.MemberJoinsAsync(_cohort, "Ana", "full");
        _site.Clock.Advance(TimeSpan.FromDays(3));
        await _site.MemberJoinsAsync(_cohort, "Bob", "full", "Globex");

        var quietFirst = Visible(await PageAsync(CohortPath + "?sort=quiet&order=desc"));
        var quietLast = Visible(await PageAsync(CohortPath + "?sort=quiet"));
        var byName = Visible(await PageAsync(CohortPath + "?sort=nonsense"));

        static int At(string text, string name) => text.IndexOf(name, text.IndexOf("Members (", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(At(quietFirst, "Ana") < At(quietFirst, "Bob"));
        Assert.True(At(quietLast, "Bob") < At(quietLast, "Ana"));
        Assert.True(At(byName, "Ana") < At(byName, "Bob"));
    }

    [Fact]
    public async Task TheTrendsPageTabulatesEightWeeks()
    {
        await _site.MemberJoinsAsync(_cohort, "Ana", "full");

        var page = await PageAsync($"{CohortPath}/trends");

        Assert.Equal(8, Regex.Matches(page[page.IndexOf("<table id=\"weeks\"", StringComparison.Ordinal)..], "<tr><td>").Count);
        Assert.Contains("Mon 7 Dec", Visible(page));
        Assert.Contains("This week so far: 1 interview (last week 0)", Visible(page));
    }

    [Fact]
    public async Task NamesAndCompaniesAreEncodedNotMarkup()
    {
        await _site.MemberJoinsAsync(_cohort, "Eve", "full", "<script>alert(1)</script>");

        var raw = await RawAsync(CohortPath);

        Assert.DoesNotContain("<script>alert(1)</script>", raw);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", raw);
    }
}
