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
        var rows = CohortStatus.Rows([Busy(CohortVisibility.StatusOnly, "Zoe", 1), Busy(CohortVisibility.WithCompanies, "Ben", 2)], Now, Zone);
        var table = CohortStatus.Table(rows);

        Assert.Equal(CohortStatus.Columns, table.Columns);
        Assert.Equal(["Ben", "Zoe", "Total (2)"], table.Rows.Select(r => r[0]));
        Assert.All(table.Rows, r => Assert.Equal(table.Columns.Count, r.Count));
        Assert.Equal("Acme", table.Rows[0][5]);
        Assert.Equal(CohortStatus.Hidden, table.Rows[1][5]);
        Assert.Equal(["2", "2", "2"], table.Rows[2].Skip(1).Take(3).Select(c => c.Split(' ')[0]));
    }
}
