using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Tests.Conversations;

namespace FollowUpBot.Core.Tests.Cohorts;

public sealed class CohortCommandTests
{
    private const string Create = "/cohort create name:\"Fall 2026\" channel:#career-room";

    private static async Task<Cohort> CreateAsync(EngineFixture f, string line = Create, MemberContext? coach = null)
    {
        var answer = EngineFixture.ReplyText(await f.Command(line, coach ?? f.Coach));
        return f.Store.Cohorts.LastOrDefault() ?? throw new Xunit.Sdk.XunitException(answer);
    }

    private static async Task JoinAsync(EngineFixture f, Cohort cohort, MemberContext who, string level)
    {
        await f.Command($"/cohort join code:{cohort.JoinCode}", who);
        EngineFixture.UpdateOf(await f.Press(CohortCommands.JoinButton(cohort.JoinCode, level), who));
    }

    [Theory]
    [InlineData(Create)]
    [InlineData("/cohort status")]
    [InlineData("/cohort digest schedule:\"friday 16:00\"")]
    [InlineData("/cohort dashboard")]
    public async Task CoachCommandsRefuseMembersWithoutTheCoachRole(string line)
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);
        var before = (f.Store.Cohorts.Single(), f.CohortScheduler.Triggers[cohort.Id]);

        // The coach who created it, without the role any more (an admin removed it), is refused too.
        var exCoach = f.Coach with { IsCoach = false };
        foreach (var who in new[] { f.Ana, exCoach })
        {
            var text = EngineFixture.ReplyText(await f.Command(line, who));
            Assert.StartsWith("Only coaches can use /cohort", text);
            Assert.DoesNotContain("Fall 2026", text);
        }
        Assert.Equal(before, (f.Store.Cohorts.Single(), f.CohortScheduler.Triggers[cohort.Id]));
    }

    [Fact]
    public async Task StatusPageButtonIsRefusedToMembersAndToOtherCoaches()
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);
        await JoinAsync(f, cohort, f.Ana, "full");
        await f.RecordAsync(from: f.Ana);

        foreach (var who in new[] { f.Ana, f.Coach with { IsCoach = false }, f.OtherCoach })
        {
            var text = EngineFixture.ReplyText(await f.Press(CohortCommands.StatusButton(cohort.Id, 1), who));
            Assert.DoesNotContain("Acme", text);
            Assert.DoesNotContain("Ana", text);
        }
    }

    [Fact]
    public async Task CoachCreatesCohortWithJoinCodeAndWeeklyDigestTrigger()
    {
        var f = new EngineFixture();
        var text = EngineFixture.ReplyText(await f.Command(Create, f.Coach));

        var cohort = Assert.Single(f.Store.Cohorts);
        Assert.True(JoinCodes.LooksValid(cohort.JoinCode), cohort.JoinCode);
        Assert.Equal(("Fall 2026", "career-room", f.Member(f.Coach).Id, EngineFixture.Zone, "mon 09:00"),
            (cohort.Name, cohort.ChannelId, cohort.CoachMemberId, cohort.TimeZoneId, cohort.DigestSchedule));
        Assert.Contains($"/cohort join code:{cohort.JoinCode}", text);
        Assert.Contains("the first on Mon 7 Dec 09:00", text);
        Assert.Equal(cohort, f.CohortScheduler.Triggers[cohort.Id]);
    }

    [Theory]
    [InlineData("/cohort create channel:#room", "Give the cohort a name")]
    [InlineData("/cohort create name:X", "Which channel")]
    [InlineData("/cohort create name:X channel:#room time-zone:Mars/Olympus", "I don't know the time zone")]
    [InlineData("/cohort create name:X channel:#room schedule:sometimes", "I couldn't read the schedule")]
    public async Task BadCreateChangesNothing(string line, string expected)
    {
        var f = new EngineFixture();
        Assert.StartsWith(expected, EngineFixture.ReplyText(await f.Command(line, f.Coach)));
        Assert.Empty(f.Store.Cohorts);
        Assert.Empty(f.CohortScheduler.Triggers);
    }

    [Fact]
    public async Task JoinShowsExactlyWhatCoachesWillSeeAndSharesNothingBeforeConsent()
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);
        await f.RecordAsync(from: f.Ana);

        var reply = Assert.IsType<Reply>(Assert.Single(await f.Command($"/cohort join code:{cohort.JoinCode.ToLowerInvariant()}", f.Ana)));
        Assert.Empty(f.Store.Memberships);
        Assert.Equal(["status", "companies", "full", "no"], reply.Message.Buttons.Select(b => b.Id.Split(':')[^1]));
        var lines = reply.Message.Text.Split('\n');
        var statusLine = lines[Array.FindIndex(lines, l => l.StartsWith("• Status only", StringComparison.Ordinal)) + 1];
        var companiesLine = lines[Array.FindIndex(lines, l => l.StartsWith("• Status plus company", StringComparison.Ordinal)) + 1];
        var fullLine = lines[Array.FindIndex(lines, l => l.StartsWith("• Full detail", StringComparison.Ordinal)) + 1];
        Assert.DoesNotContain("Acme", statusLine);
        Assert.Contains("Acme", companiesLine);
        Assert.DoesNotContain("Backend Engineer", companiesLine);
        Assert.Contains("Backend Engineer", fullLine);

        Assert.Contains("nothing", EngineFixture.UpdateOf(await f.Press(CohortCommands.JoinButton(cohort.JoinCode, "no"), f.Ana)).Text,
            StringComparison.OrdinalIgnoreCase);
        Assert.Empty(f.Store.Memberships);

        var joined = EngineFixture.UpdateOf(await f.Press(CohortCommands.JoinButton(cohort.JoinCode, "companies"), f.Ana));
        Assert.StartsWith("You joined *Fall 2026*", joined.Text);
        var membership = Assert.Single(f.Store.Memberships);
        Assert.Equal((cohort.Id, f.Member(f.Ana).Id, CohortVisibility.WithCompanies, "Ana"),
            (membership.CohortId, membership.MemberId, membership.Visibility, membership.DisplayName));
    }

    [Theory]
    [InlineData("ZZZZZZ")]
    [InlineData("not a code")]
    public async Task UnknownCodeJoinsNothing(string code)
    {
        var f = new EngineFixture();
        await CreateAsync(f);
        Assert.StartsWith("I found no cohort with the code", EngineFixture.ReplyText(await f.Command($"/cohort join code:\"{code}\"", f.Ana)));
        Assert.Empty(f.Store.Memberships);
    }

    [Fact]
    public async Task CohortOfAnotherWorkspaceCannotBeJoinedEvenWithAForgedButton()
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);
        var stranger = new MemberContext(new MemberKey("test", "w2", "eve"), EngineFixture.Zone, "Eve");

        Assert.StartsWith("I found no cohort", EngineFixture.ReplyText(await f.Command($"/cohort join code:{cohort.JoinCode}", stranger)));
        EngineFixture.UpdateOf(await f.Press(CohortCommands.JoinButton(cohort.JoinCode, "full"), stranger));
        Assert.Empty(f.Store.Memberships);
    }

    [Fact]
    public async Task CoachNeverSeesAnotherCoachsCohort()
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);
        await JoinAsync(f, cohort, f.Ana, "full");

        var byName = EngineFixture.ReplyText(await f.Command("/cohort status cohort:\"Fall 2026\"", f.OtherCoach));
        Assert.StartsWith("You don't coach any cohort yet", byName);
        await CreateAsync(f, "/cohort create name:\"Spring 2027\" channel:#spring", f.OtherCoach);
        byName = EngineFixture.ReplyText(await f.Command($"/cohort status cohort:{cohort.JoinCode}", f.OtherCoach));
        Assert.StartsWith("You coach no cohort called", byName);
        var own = EngineFixture.ReplyText(await f.Command("/cohort status", f.OtherCoach));
        Assert.Contains("Spring 2027", own);
        Assert.DoesNotContain("Ana", own);
        Assert.StartsWith("You coach no cohort", EngineFixture.ReplyText(await f.Command("/cohort digest cohort:\"Fall 2026\" schedule:\"friday 08:00\"", f.OtherCoach)));
        Assert.Equal("mon 09:00", f.Store.Cohorts.Single(c => c.Id == cohort.Id).DigestSchedule);
    }

    [Fact]
    public async Task MemberInTwoCohortsIsShownInEachAtTheLevelChosenThere()
    {
        var f = new EngineFixture();
        var fall = await CreateAsync(f);
        var spring = await CreateAsync(f, "/cohort create name:\"Spring 2027\" channel:#spring", f.OtherCoach);
        await f.RecordAsync(from: f.Ana);
        await JoinAsync(f, fall, f.Ana, "status");
        await JoinAsync(f, spring, f.Ana, "companies");

        var fallStatus = Assert.IsType<Reply>(Assert.Single(await f.Command("/cohort status", f.Coach))).Message;
        var springStatus = Assert.IsType<Reply>(Assert.Single(await f.Command("/cohort status", f.OtherCoach))).Message;
        Assert.DoesNotContain("Acme", fallStatus.Text);
        Assert.Contains("Acme", springStatus.Text);
        Assert.Equal(CohortStatus.Hidden, fallStatus.Sections.Single(s => s.Table is not null).Table!.Rows[0][5]);
    }

    [Fact]
    public async Task LevelChangeAndLeaveTakeEffectAtOnce()
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);
        await f.RecordAsync(from: f.Ana);
        await JoinAsync(f, cohort, f.Ana, "status");
        Assert.DoesNotContain("Acme", EngineFixture.ReplyText(await f.Command("/cohort status", f.Coach)));

        Assert.StartsWith("Done: the coaches of *Fall 2026* now see status plus company names",
            EngineFixture.ReplyText(await f.Command("/cohort level level:companies", f.Ana)));
        Assert.Contains("Acme", EngineFixture.ReplyText(await f.Command("/cohort status", f.Coach)));

        Assert.StartsWith("The level must be status, companies or full", EngineFixture.ReplyText(await f.Command("/cohort level level:everything", f.Ana)));
        Assert.Equal(CohortVisibility.WithCompanies, Assert.Single(f.Store.Memberships).Visibility);

        Assert.StartsWith("You left *Fall 2026*", EngineFixture.ReplyText(await f.Command("/cohort leave", f.Ana)));
        Assert.Empty(f.Store.Memberships);
        var status = EngineFixture.ReplyText(await f.Command("/cohort status", f.Coach));
        Assert.DoesNotContain("Ana", status);
        Assert.Contains("Nobody has joined yet", status);
        Assert.Single(f.Store.Interviews); // leaving keeps the member's own data
    }

    [Fact]
    public async Task LongStatusIsPagedWithButtons()
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);
        for (var i = 0; i < 25; i++)
            await JoinAsync(f, cohort, new MemberContext(new MemberKey("test", "w1", $"m{i}"), EngineFixture.Zone, $"Member {i:00}"), "status");

        var first = Assert.IsType<Reply>(Assert.Single(await f.Command("/cohort status", f.Coach)));
        Assert.True(first.Ephemeral);
        Assert.Equal(["Next page"], first.Message.Buttons.Select(b => b.Label));
        Assert.Equal(20, first.Message.Sections.Sum(s => s.Table?.Rows.Count ?? 0));

        var second = EngineFixture.UpdateOf(await f.Press(first.Message.Buttons[0].Id, f.Coach));
        Assert.Equal(["Previous page"], second.Buttons.Select(b => b.Label));
        Assert.Equal(["Member 20", "Member 21", "Member 22", "Member 23", "Member 24", "Total (25)"],
            second.Sections.Single(s => s.Table is not null).Table!.Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task DigestScheduleChangeReschedulesTheCohortsTrigger()
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);

        var text = EngineFixture.ReplyText(await f.Command("/cohort digest schedule:\"thu,mon 17:30\" time-zone:Europe/Berlin", f.Coach));
        Assert.Contains("every Monday and Thursday at 17:30 (Europe/Berlin)", text);
        Assert.Contains("next on Mon 7 Dec 17:30", text);
        var updated = f.Store.Cohorts.Single();
        Assert.Equal(("mon,thu 17:30", "Europe/Berlin"), (updated.DigestSchedule, updated.TimeZoneId));
        Assert.Equal(("mon,thu 17:30", "Europe/Berlin"), (f.CohortScheduler.Triggers[cohort.Id].DigestSchedule, f.CohortScheduler.Triggers[cohort.Id].TimeZoneId));

        Assert.StartsWith("I couldn't read the schedule", EngineFixture.ReplyText(await f.Command("/cohort digest schedule:\"25:00 fridays\"", f.Coach)));
        Assert.Equal(updated, f.Store.Cohorts.Single());
    }

    [Fact]
    public async Task HelpListsTheNewCommands()
    {
        var f = new EngineFixture();
        var help = string.Join('\n', (await f.Command("/followup help")).Select(a => Assert.IsType<Reply>(a).Message.Text));
        foreach (var command in new[] { "/cohort join", "/cohort level", "/cohort leave", "/cohort create", "/cohort status", "/cohort digest", "/followup export", "/followup delete-my-data" })
            Assert.Contains(command, help);
    }

    [Fact]
    public async Task DashboardGivesTheCoachAOneTimeLinkUnderThePublicUrlAndStoresOnlyItsHash()
    {
        var f = new EngineFixture(dashboardUrl: "https://coach.example.org/");
        await CreateAsync(f);

        var reply = Assert.IsType<Reply>(Assert.Single(await f.Command("/cohort dashboard", f.Coach)));

        Assert.True(reply.Ephemeral);
        var link = System.Text.RegularExpressions.Regex.Match(reply.Message.Text, @"https://coach\.example\.org/dashboard/login#(\S+)");
        Assert.True(link.Success, reply.Message.Text);
        Assert.Contains("Fall 2026", reply.Message.Text);
        Assert.Contains("It works once, within 10 minutes", reply.Message.Text);
        var token = link.Groups[1].Value;
        var session = await f.Dashboard.RedeemAsync(token, CancellationToken.None);
        Assert.Equal(f.Member(f.Coach).Id, session!.CoachMemberId);
        Assert.Null(await f.Dashboard.RedeemAsync(token, CancellationToken.None));
        Assert.NotEqual(token, session.Token);
    }

    [Fact]
    public async Task WithoutAPublicUrlDashboardSaysTheWebViewIsOffAndStoresNothing()
    {
        var f = new EngineFixture();
        await CreateAsync(f);

        var text = EngineFixture.ReplyText(await f.Command("/cohort dashboard", f.Coach));

        Assert.StartsWith("This bot has no web view", text);
        Assert.Contains("Dashboard:PublicUrl", text);
        Assert.DoesNotContain("http", text);
    }

    [Fact]
    public async Task DashboardForACoachWithoutCohortsSaysHowToStartOne()
    {
        var f = new EngineFixture(dashboardUrl: "https://coach.example.org");

        var text = EngineFixture.ReplyText(await f.Command("/cohort dashboard", f.Coach));

        Assert.StartsWith("You don't coach any cohort yet", text);
    }

    [Fact]
    public async Task StatusShowsWhatIsComingUpWhereApplicationsStandAndTheTrend()
    {
        var f = new EngineFixture();
        var cohort = await CreateAsync(f);
        await f.RecordAsync(from: f.Ana);
        await JoinAsync(f, cohort, f.Ana, "full");

        var status = Assert.IsType<Reply>(Assert.Single(await f.Command("/cohort status", f.Coach))).Message;

        var headings = status.Sections.Select(s => s.Heading).ToList();
        Assert.Contains(headings, h => h.StartsWith(CoachReport.UpcomingHeading, StringComparison.Ordinal));
        Assert.Contains(CoachReport.StagesHeading, headings);
        Assert.Contains(headings, h => h.StartsWith(CoachReport.TrendHeading, StringComparison.Ordinal));
        Assert.Contains("1 open application across 1 member: 1 interviewing.", status.Text);
        Assert.Contains("Ana: decision from Acme (Backend Engineer) expected by Tue 8 Dec", status.Text);
    }

    [Fact]
    public async Task ALoggedFollowUpKeepsItsTimeForTheWeeklyTrend()
    {
        var f = new EngineFixture();
        await f.RecordAsync(from: f.Ana);
        f.Clock.Advance(TimeSpan.FromDays(10)); // past the decision date: the follow-up window is open

        Assert.StartsWith("Logged your first follow-up", EngineFixture.ReplyText(await f.Command("/interview followup id:1", f.Ana)));

        Assert.Equal([f.Clock.GetUtcNow()], Assert.Single(f.Store.Interviews).FollowUpTimes);
    }
}
