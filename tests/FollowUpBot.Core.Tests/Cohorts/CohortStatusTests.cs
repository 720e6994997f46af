using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using static FollowUpBot.Core.Tests.Cohorts.CohortFacts;

namespace FollowUpBot.Core.Tests.Cohorts;

public sealed class CohortStatusTests
{
    private static string Rendered(CohortStatusRow row) =>
        CohortStatus.Line(row) + "\n" + string.Join(" | ", CohortStatus.Cells(row));

    [Fact]
    public void StatusOnlyShowsCountsAndFlagsButNoCompanyRoleDateOrOutcome()
    {
        var row = CohortStatus.Row(Busy(CohortVisibility.StatusOnly), CohortVisibility.StatusOnly, Now, Zone);

        Assert.Equal((1, 1, 1, 1), (row.InProgress, row.ThankYousOverdue, row.FollowUpsDue, row.DaysSinceActivity));
        Assert.Null(row.Companies);
        Assert.Null(row.Details);
        Assert.Null(row.LastOutcome);
        Assert.Null(row.RejectionsInARow);
        var text = Rendered(row);
        foreach (var hidden in new[] { "Acme", "Initech", "Globex", "Backend", "rejected", "interviewed", SecretNotes })
            Assert.DoesNotContain(hidden, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WithCompaniesAddsCompaniesInProgressButNoRolesDatesOrOutcomes()
    {
        var row = CohortStatus.Row(Busy(CohortVisibility.WithCompanies), CohortVisibility.WithCompanies, Now, Zone);

        Assert.Equal(["Acme"], row.Companies);
        Assert.Null(row.Details);
        Assert.Null(row.LastOutcome);
        Assert.Null(row.RejectionsInARow);
        var text = Rendered(row);
        Assert.Contains("Acme", text);
        foreach (var hidden in new[] { "Initech", "Globex", "Backend", "rejected", "interviewed", SecretNotes })
            Assert.DoesNotContain(hidden, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FullDetailAddsRolesDatesAndOutcomesButNeverTheNotes()
    {
        var row = CohortStatus.Row(Busy(CohortVisibility.FullDetail), CohortVisibility.FullDetail, Now, Zone);

        Assert.Equal(2, row.RejectionsInARow);
        Assert.Equal("rejected (Initech, 4 Dec)", row.LastOutcome);
        var text = Rendered(row);
        foreach (var shown in new[] { "Acme", "Backend Engineer", "interviewed 6 Dec", "Initech" })
            Assert.Contains(shown, text);
        Assert.DoesNotContain(SecretNotes, text);
    }

    [Fact]
    public void ThankYouIsOverdueOnlyAfterTwentyFourHoursAndUntilMarkedDone()
    {
        var fresh = Interview(1, "Acme", "Dev", Now.AddHours(-23));
        var old = Interview(2, "Initech", "Dev", Now.AddHours(-25));
        var done = Interview(3, "Globex", "Dev", Now.AddHours(-48));
        var activity = Member("Ana", CohortVisibility.StatusOnly, Now, [fresh, old, done],
        [
            Nudge(1, fresh, NudgeKind.ThankYou, Now.AddHours(-20)),
            Nudge(2, old, NudgeKind.ThankYou, Now.AddHours(-22), NudgeState.Sent),
            Nudge(3, done, NudgeKind.ThankYou, Now.AddHours(-45), NudgeState.Done),
        ]);

        Assert.Equal(1, CohortStatus.Row(activity, CohortVisibility.StatusOnly, Now, Zone).ThankYousOverdue);
    }

    [Fact]
    public void FollowUpCountsOnceItsTimeHasComeAndNotForClosedInterviews()
    {
        var open = Interview(1, "Acme", "Dev", Now.AddDays(-8));
        var later = Interview(2, "Initech", "Dev", Now.AddDays(-2));
        var closed = Interview(3, "Globex", "Dev", Now.AddDays(-9), Outcome.Rejected, Now.AddDays(-1));
        var activity = Member("Ana", CohortVisibility.StatusOnly, Now, [open, later, closed],
        [
            Nudge(1, open, NudgeKind.FollowUp, Now.AddHours(-1), NudgeState.Sent),
            Nudge(2, later, NudgeKind.FollowUp, Now.AddDays(3)),
            Nudge(3, closed, NudgeKind.FollowUp, Now.AddDays(-2), NudgeState.Pending),
        ]);

        var row = CohortStatus.Row(activity, CohortVisibility.StatusOnly, Now, Zone);
        Assert.Equal((2, 1), (row.InProgress, row.FollowUpsDue));
    }

    [Fact]
    public void TableHasOneRowPerMemberAtTheirOwnLevelAndTotals()
    {
        var rows = CoachNumbers.Build(Cohort(), [Busy(CohortVisibility.StatusOnly, "Zoe", 1), Busy(CohortVisibility.WithCompanies, "Ben", 2)], Now, Zone)
            .Members.Select(m => m.Status).ToList();
        var table = CohortStatus.Table(rows);

        Assert.Equal(CohortStatus.Columns, table.Columns);
        Assert.Equal(["Ben", "Zoe", "Total (2)"], table.Rows.Select(r => r[0]));
        Assert.All(table.Rows, r => Assert.Equal(table.Columns.Count, r.Count));
        Assert.Equal("Acme", table.Rows[0][5]);
        Assert.Equal(CohortStatus.Hidden, table.Rows[1][5]);
        Assert.Equal(["2", "2", "2"], table.Rows[2].Skip(1).Take(3).Select(c => c.Split(' ')[0]));
    }
}

/// <summary>What coaches see tells the truth about where a member stands (issue 9).</summary>
public sealed class CohortStatusTruthTests
{
    [Fact]
    public void AThankYouMarkedDoneThroughItsReminderIsNotOverdue()
    {
        var acme = Interview(1, "Acme", "Dev", Now.AddHours(-48));
        var activity = Member("Ana", CohortVisibility.StatusOnly, Now, [acme],
        [
            Nudge(1, acme, NudgeKind.ThankYou, Now.AddHours(-45), NudgeState.Sent),
            Nudge(2, acme, NudgeKind.ThankYouReminder, Now.AddHours(-30), NudgeState.Done) with { Interviewer = "Ana Ruiz" },
        ]);

        Assert.Equal(0, CohortStatus.Row(activity, CohortVisibility.StatusOnly, Now, Zone).ThankYousOverdue);
    }

    [Fact]
    public void ASnoozedOrSkippedThankYouIsNotOverdueButOneLeftUnansweredIs()
    {
        var snoozed = Interview(1, "Acme", "Dev", Now.AddHours(-48));
        var skipped = Interview(2, "Initech", "Dev", Now.AddHours(-48));
        var ignored = Interview(3, "Globex", "Dev", Now.AddHours(-48));
        var activity = Member("Ana", CohortVisibility.StatusOnly, Now, [snoozed, skipped, ignored],
        [
            Nudge(1, snoozed, NudgeKind.ThankYou, Now.AddHours(2), NudgeState.Snoozed),
            Nudge(2, skipped, NudgeKind.ThankYou, Now.AddHours(-45), NudgeState.Skipped),
            Nudge(3, ignored, NudgeKind.ThankYou, Now.AddHours(-45), NudgeState.Sent),
        ]);

        Assert.Equal(1, CohortStatus.Row(activity, CohortVisibility.StatusOnly, Now, Zone).ThankYousOverdue);
    }

    [Fact]
    public void AFollowUpStopsBeingDueOnceTheMemberLogsIt()
    {
        var acme = Interview(1, "Acme", "Dev", Now.AddDays(-8)) with { FollowUpsLogged = 1, LastFollowUpAt = Now.AddHours(-1) };
        var initech = Interview(2, "Initech", "Dev", Now.AddDays(-8));
        var activity = Member("Ana", CohortVisibility.StatusOnly, Now, [acme, initech],
        [
            // Snoozed and then sent by hand: the nudge is still live, but the follow-up went out.
            Nudge(1, acme, NudgeKind.FollowUp, Now.AddHours(-3), NudgeState.Failed),
            Nudge(2, initech, NudgeKind.FollowUp, Now.AddHours(-3), NudgeState.Sent),
        ]);

        Assert.Equal(1, CohortStatus.Row(activity, CohortVisibility.StatusOnly, Now, Zone).FollowUpsDue);
    }

    [Fact]
    public void RoundsOfOneApplicationAreOneInProgressAndTheirThankYousStillCount()
    {
        var round1 = Interview(1, "Acme", "Dev", Now.AddDays(-3), Outcome.NextRound, Now.AddDays(-2));
        var round2 = Interview(2, "Acme", "Dev", Now.AddHours(-2)) with { ProcessId = 1, Round = 2 };
        var activity = Member("Ana", CohortVisibility.FullDetail, Now, [round1, round2],
            [Nudge(1, round1, NudgeKind.ThankYou, Now.AddDays(-3).AddHours(2))]);

        var row = CohortStatus.Row(activity, CohortVisibility.FullDetail, Now, Zone);

        Assert.Equal((1, 1), (row.InProgress, row.ThankYousOverdue));
        Assert.Equal(["Acme, Dev, interviewed 7 Dec (round 2), interviewing"], row.Details);
    }

    [Fact]
    public void TheStageShowsAtFullDetailOnlyAndAClosedSilentApplicationIsItsLastOutcome()
    {
        var offer = Interview(1, "Acme", "Dev", Now.AddDays(-10), Outcome.Offer, Now.AddDays(-1));
        var silent = Interview(2, "Initech", "Dev", Now.AddDays(-40), Outcome.ClosedNoReply, Now.AddHours(-5));
        var activity = Member("Ana", CohortVisibility.FullDetail, Now.AddDays(-1), [offer, silent]);

        var full = CohortStatus.Row(activity, CohortVisibility.FullDetail, Now, Zone);
        var companies = CohortStatus.Row(activity, CohortVisibility.WithCompanies, Now, Zone);

        Assert.Equal(["Acme, Dev, interviewed 27 Nov, offer on the table"], full.Details);
        Assert.Equal("closed, no reply (Initech, 7 Dec)", full.LastOutcome);
        Assert.DoesNotContain("offer", string.Join(" | ", CohortStatus.Cells(companies)), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, companies.InProgress);
    }

    // Presses and forms move LastActiveAt; what the member recorded counts too, so a coach never sees an active member as quiet.
    [Fact]
    public void RecordingAnOutcomeCountsAsActivity()
    {
        var acme = Interview(1, "Acme", "Dev", Now.AddDays(-30), Outcome.Rejected, Now.AddDays(-2));
        var activity = Member("Ana", CohortVisibility.StatusOnly, Now.AddDays(-20), [acme]);

        Assert.Equal(2, CohortStatus.Row(activity, CohortVisibility.StatusOnly, Now, Zone).DaysSinceActivity);
    }
}
