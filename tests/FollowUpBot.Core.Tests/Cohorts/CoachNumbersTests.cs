using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using static FollowUpBot.Core.Tests.Cohorts.CohortFacts;

namespace FollowUpBot.Core.Tests.Cohorts;

public sealed class CoachNumbersTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    /// <summary>A member with an offer (deadline Fri), a next round tomorrow and a decision due Thursday, all at Acme-like companies.</summary>
    private static CohortMemberActivity Planner(string name, CohortVisibility level, long id) =>
        Member(name, level, Now.AddDays(-1),
        [
            Interview(10 * id + 1, "Hooli", "Data Engineer", Now.AddDays(-12), Outcome.Offer, Now.AddDays(-2)) with { OfferDeadline = Today.AddDays(4) },
            Interview(10 * id + 2, "Acme", "Backend Engineer", Now.AddDays(-5), Outcome.NextRound, Now.AddDays(-3)) with { NextRoundAt = Now.AddDays(1) },
            Interview(10 * id + 3, "Globex", "SRE", Now.AddDays(-2)) with { DecisionDate = Today.AddDays(3) },
            Interview(10 * id + 4, "Initech", "QA", Now.AddDays(-3)) with { DecisionDate = Today.AddDays(12) },
        ], id: id);

    [Fact]
    public void UpcomingNamesFullDetailMembersWithWhatAndWhen()
    {
        var numbers = CoachNumbers.Build(Cohort(), [Planner("Ana", CohortVisibility.FullDetail, 1)], Now, Zone);

        Assert.Equal(
            ["Ana: next round at Acme (Backend Engineer), Tue 8 Dec 15:00",
             "Ana: decision from Globex (SRE) expected by Thu 10 Dec",
             "Ana: offer from Hooli (Data Engineer) waiting for an answer, deadline Fri 11 Dec"],
            CoachReport.UpcomingLines(numbers));
        Assert.Equal(new UpcomingCounts(1, 1, 1), numbers.Upcoming.Total);
    }

    [Fact]
    public void OfferWithoutDeadlineIsStillWaitingForAnAnswer()
    {
        var offer = Interview(1, "Hooli", "Data Engineer", Now.AddDays(-12), Outcome.Offer, Now.AddDays(-2));
        var numbers = CoachNumbers.Build(Cohort(), [Member("Ana", CohortVisibility.FullDetail, Now, [offer])], Now, Zone);

        Assert.Equal(["Ana: offer from Hooli (Data Engineer) waiting for an answer, no deadline given yet"], CoachReport.UpcomingLines(numbers));
    }

    [Theory]
    [InlineData(CohortVisibility.StatusOnly)]
    [InlineData(CohortVisibility.WithCompanies)]
    public void UpcomingOfMembersBelowFullDetailIsOnlyCountedAndNeverNamed(CohortVisibility level)
    {
        var members = new[] { Planner("Ana", level, 1), Planner("Bob", level, 2), Planner("Cy", level, 3) };

        var numbers = CoachNumbers.Build(Cohort(), members, Now, Zone);

        Assert.Empty(numbers.Upcoming.Named);
        Assert.Equal(new UpcomingCounts(3, 3, 3), numbers.Upcoming.Unnamed);
        var text = string.Join("\n", CoachReport.UpcomingLines(numbers));
        Assert.Equal("From members who share less than full detail (no names): 3 decision dates, 3 next rounds, 3 offers waiting for an answer.", text);
        foreach (var hidden in new[] { "Ana", "Bob", "Hooli", "Acme", "Globex", "Dec" }) Assert.DoesNotContain(hidden, text);
    }

    [Fact]
    public void MembersBelowFullDetailStayOutOfTheTotalsUntilThreeShareLess()
    {
        var ana = Planner("Ana", CohortVisibility.FullDetail, 1);
        var bob = Planner("Bob", CohortVisibility.StatusOnly, 2);
        var cy = Planner("Cy", CohortVisibility.WithCompanies, 3);

        var two = CoachNumbers.Build(Cohort(), [ana, bob, cy], Now, Zone);
        // Ana's three things by name; Bob's and Cy's nowhere, not even as a count (Ana's total minus Ana would give them away).
        Assert.Equal(new UpcomingCounts(0, 0, 0), two.Upcoming.Unnamed);
        Assert.Equal(4, two.OpenApplications);
        Assert.Equal(2, two.UncountedMembers);
        Assert.Equal(4, two.Weeks.Sum(w => w.Interviews));
        Assert.Contains("2 members share less than full detail and are left out of these totals until at least 3 do",
            string.Join("\n", CoachReport.Sections(two).SelectMany(s => s.Lines)));

        var three = CoachNumbers.Build(Cohort(), [ana, bob, cy, Planner("Dee", CohortVisibility.StatusOnly, 4)], Now, Zone);
        Assert.Equal(new UpcomingCounts(3, 3, 3), three.Upcoming.Unnamed);
        Assert.Equal(16, three.OpenApplications);
        Assert.Equal(0, three.UncountedMembers);
        Assert.Equal(16, three.Weeks.Sum(w => w.Interviews));
    }

    [Fact]
    public void TrendCountsEachWeekFromMondayInTheCohortsZone()
    {
        // Sunday 6 Dec 23:30 in Berlin is still last week; Monday 00:30 Berlin (Sunday 23:30 UTC) is this week.
        var lastSunday = new DateTimeOffset(2026, 12, 6, 22, 30, 0, TimeSpan.Zero);
        var thisMonday = new DateTimeOffset(2026, 12, 6, 23, 30, 0, TimeSpan.Zero);
        var interviews = new[]
        {
            Interview(1, "Acme", "Dev", lastSunday) with { FollowUpTimes = [lastSunday.AddHours(-1), thisMonday.AddHours(1)], FollowUpsLogged = 2 },
            Interview(2, "Globex", "Dev", thisMonday, Outcome.Rejected, thisMonday.AddHours(5)),
            Interview(3, "Hooli", "Dev", Now.AddDays(-60), Outcome.Offer, Now.AddDays(-4)),
            // Before the window: left out.
            Interview(4, "Initech", "Dev", Now.AddDays(-70), Outcome.NextRound, Now.AddDays(-65)),
            // Logged before follow-up times were kept: its last one counts.
            Interview(5, "Umbrella", "Dev", Now.AddDays(-20)) with { FollowUpsLogged = 1, LastFollowUpAt = Now.AddDays(-15) },
        };

        var numbers = CoachNumbers.Build(Cohort(), [Member("Ana", CohortVisibility.FullDetail, Now, interviews)], Now, Zone);

        Assert.Equal(CoachNumbers.TrendWeeks, numbers.Weeks.Count);
        Assert.Equal(new DateOnly(2026, 10, 19), numbers.Weeks[0].WeekOf);
        Assert.Equal(new WeekNumbers(new DateOnly(2026, 12, 7), Interviews: 1, FollowUps: 1, NextRounds: 0, Offers: 0, Rejections: 1, OtherOutcomes: 0),
            numbers.ThisWeek);
        Assert.Equal(new WeekNumbers(new DateOnly(2026, 11, 30), 1, 1, 0, 1, 0, 0), numbers.LastWeek);
        Assert.Equal(1, numbers.Weeks.Single(w => w.WeekOf == new DateOnly(2026, 11, 16)).FollowUps);
        Assert.Equal(0, numbers.Weeks.Sum(w => w.NextRounds));
        Assert.Equal("This week so far: 1 interview (last week 1), 1 follow-up (1), 1 outcome (1), across 1 member.",
            CoachReport.TrendLines(numbers)[0]);
    }

    [Fact]
    public void StagesCountOpenApplicationsAndThoseClosedInTheLastEightWeeks()
    {
        var interviews = new[]
        {
            Interview(1, "Acme", "Dev", Now.AddDays(-3)),
            Interview(2, "Globex", "Dev", Now.AddDays(-10), Outcome.Waiting, Now.AddDays(-4)),
            Interview(3, "Hooli", "Dev", Now.AddDays(-30), Outcome.Accepted, Now.AddDays(-1)),
            Interview(4, "Initech", "Dev", Now.AddDays(-30), Outcome.Rejected, Now.AddDays(-20)),
            Interview(5, "Umbrella", "Dev", Now.AddDays(-200), Outcome.Rejected, Now.AddDays(-100)),
            // Two rounds of one application: counted once, at its latest round's stage.
            Interview(6, "Wonka", "Dev", Now.AddDays(-9), Outcome.NextRound, Now.AddDays(-8)) with { ProcessId = 6 },
            Interview(7, "Wonka", "Dev", Now.AddDays(-2), Outcome.Offer, Now.AddDays(-1)) with { ProcessId = 6, Round = 2 },
        };

        var numbers = CoachNumbers.Build(Cohort(), [Member("Ana", CohortVisibility.FullDetail, Now, interviews)], Now, Zone);

        Assert.Equal("3 open applications across 1 member: 1 interviewing, 1 still deciding, 1 offer.", CoachReport.StagesLine(numbers));
        Assert.Equal("Closed in the last 8 weeks: 1 accepted, 1 rejected.", CoachReport.ClosedLine(numbers));
        Assert.Equal(ProcessStage.Offer, Assert.Single(numbers.Members).FurthestStage);
    }

    [Theory]
    [InlineData(CohortVisibility.StatusOnly, false)]
    [InlineData(CohortVisibility.WithCompanies, false)]
    [InlineData(CohortVisibility.FullDetail, true)]
    public void NeedsAWordGivesARejectionStreakOnlyAtFullDetail(CohortVisibility level, bool streakShown)
    {
        var line = Assert.Single(CoachNumbers.Build(Cohort(), [Busy(level)], Now, Zone).Members);

        var expected = new List<NeedsAWord> { NeedsAWord.ThankYouOverdue, NeedsAWord.FollowUpDue };
        if (streakShown) expected.Add(NeedsAWord.RejectionStreak);
        Assert.Equal(expected, line.Reasons);
        Assert.Equal(streakShown, line.Applications is not null);
        Assert.Equal(streakShown ? ProcessStage.Interviewing : null, line.FurthestStage);
    }

    [Theory]
    [InlineData(CohortVisibility.StatusOnly)]
    [InlineData(CohortVisibility.WithCompanies)]
    [InlineData(CohortVisibility.FullDetail)]
    public void ChartCarriesTotalsOnlyNeverANameCompanyRoleOrNote(CohortVisibility level)
    {
        var members = new[] { Planner("Ana", level, 1), Planner("Bob", level, 2), Planner("Cy", level, 3) };

        var chart = CohortChart.From(CoachNumbers.Build(Cohort(), members, Now, Zone));

        var everything = string.Join("\n", new[] { chart.Title, chart.AltText, chart.FileName, chart.Interviews.Label }
            .Concat(chart.Weeks).Concat(chart.Outcomes.Select(o => o.Label)).Concat(chart.Funnel.Select(f => f.Label)));
        foreach (var hidden in new[] { "Ana", "Bob", "Hooli", "Acme", "Globex", "Data Engineer", "SRE", SecretNotes })
            Assert.DoesNotContain(hidden, everything);
        // Every member counts in the totals (three share less at the lower levels: a crowd).
        Assert.Equal(12, chart.Interviews.Values.Sum());
        Assert.Equal(3, chart.Funnel.Single(f => f.Label == "Offer").Count);
        Assert.Equal(3, chart.Funnel.Single(f => f.Label == "Next round").Count);
        Assert.Contains("totals over 3 members", chart.AltText);
        Assert.Equal("fall-2026-2026-12-07.png", chart.FileName);
    }

    [Fact]
    public void ChartOfOneMemberBelowFullDetailShowsNothingOfThem()
    {
        var chart = CohortChart.From(CoachNumbers.Build(Cohort(), [Planner("Bob", CohortVisibility.StatusOnly, 2)], Now, Zone));

        Assert.Equal(0, chart.Interviews.Values.Sum());
        Assert.All(chart.Outcomes, o => Assert.Equal(0, o.Values.Sum()));
        Assert.All(chart.Funnel, f => Assert.Equal(0, f.Count));
        Assert.Contains("totals over 0 members", chart.AltText);
    }

    [Fact]
    public void ChartAltTextSaysTheSameNumbersInWords()
    {
        var chart = CohortChart.From(CoachNumbers.Build(Cohort(), [Planner("Ana", CohortVisibility.FullDetail, 1)], Now, Zone));

        Assert.Equal(
            "Chart of Fall 2026, totals over 1 member, weeks of 19 Oct to 7 Dec. Interviews per week: 0, 0, 0, 0, 0, 1, 3, 0. " +
            "Outcomes per week: 0, 0, 0, 0, 0, 0, 2, 0 (next round 1, offer 1, rejected 0, other outcome 0 in all). " +
            "Applications by stage: interviewing 2, still deciding 0, no reply yet 0, next round 1, offer 1, accepted (8 wk) 0.",
            chart.AltText);
        Assert.True(chart.AltText.Length <= CohortChart.MaxAltText);
    }
}
