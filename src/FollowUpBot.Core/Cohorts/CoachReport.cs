using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Cohorts;

/// <summary>
/// <see cref="CoachNumbers"/> in words: the sections <c>/cohort status</c> and the digest share (coming up, where the
/// applications stand, the trend) and the phrases the web view reuses. Pure.
/// </summary>
public static class CoachReport
{
    public const string UpcomingHeading = "Coming up";
    public const string StagesHeading = "Where the applications stand";
    public const string TrendHeading = "Trend";

    public static IReadOnlyList<MessageSection> Sections(CoachNumbers numbers) =>
    [
        new(UpcomingHeading + $" (next {CoachNumbers.UpcomingDays} days; offers until answered)", UpcomingLines(numbers)),
        new(StagesHeading, [StagesLine(numbers), ClosedLine(numbers), .. Uncounted(numbers)]),
        new(TrendHeading + $" ({CoachNumbers.TrendWeeks} weeks, no names)", [.. TrendLines(numbers), .. Uncounted(numbers)]),
    ];

    /// <summary>Says who the totals leave out, and why, when they leave anyone out.</summary>
    public static IReadOnlyList<string> Uncounted(CoachNumbers numbers) =>
        numbers.UncountedMembers == 0
            ? []
            : [$"({Count(numbers.UncountedMembers, "member shares", "members share")} less than full detail and {(numbers.UncountedMembers == 1 ? "is" : "are")} " +
               $"left out of these totals until at least {CoachNumbers.MinimumCrowd} do, so that no total gives one of them away.)"];

    public static IReadOnlyList<string> UpcomingLines(CoachNumbers numbers)
    {
        var lines = numbers.Upcoming.Named.Select(i => $"{i.MemberName}: {Describe(i, numbers.Zone)}").ToList();
        var hidden = numbers.Upcoming.Unnamed;
        if (hidden.Total > 0)
            lines.Add($"{(lines.Count > 0 ? "Also" : "From")} members who share less than full detail (no names): {Counts(hidden)}.");
        if (lines.Count == 0) lines.Add("Nothing dated in the next week, and no offer waiting for an answer.");
        return lines;
    }

    /// <summary>"next round at Acme (Backend Engineer), Tue 8 Dec 10:00".</summary>
    public static string Describe(UpcomingItem item, TimeZoneInfo zone)
    {
        var where = item.Company + (string.IsNullOrWhiteSpace(item.Role) ? "" : $" ({item.Role})");
        return item.Kind switch
        {
            UpcomingKind.NextRound => $"next round at {where}, {LocalTime(item.At!.Value, zone)}",
            UpcomingKind.DecisionDate => $"decision from {where} expected by {Day(item.Day!.Value)}",
            _ => item.Day is { } deadline
                ? $"offer from {where} waiting for an answer, deadline {Day(deadline)}"
                : $"offer from {where} waiting for an answer, no deadline given yet",
        };
    }

    public static string Counts(UpcomingCounts counts)
    {
        var parts = new List<string>();
        if (counts.DecisionDates > 0) parts.Add(Count(counts.DecisionDates, "decision date", "decision dates"));
        if (counts.NextRounds > 0) parts.Add(Count(counts.NextRounds, "next round", "next rounds"));
        if (counts.OfferAnswers > 0) parts.Add(Count(counts.OfferAnswers, "offer waiting for an answer", "offers waiting for an answer"));
        return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
    }

    public static string StagesLine(CoachNumbers numbers) =>
        numbers.OpenApplications == 0
            ? $"No open applications across {Count(numbers.CountedMembers, "member", "members")}."
            : $"{Count(numbers.OpenApplications, "open application", "open applications")} across {Count(numbers.CountedMembers, "member", "members")}: " +
              string.Join(", ", numbers.OpenStages.Where(s => s.Applications > 0).Select(s => $"{N(s.Applications)} {StageLabel(s.Stage)}")) + ".";

    public static string ClosedLine(CoachNumbers numbers) =>
        numbers.ClosedInWindow.All(s => s.Applications == 0)
            ? $"None closed in the last {CoachNumbers.TrendWeeks} weeks."
            : $"Closed in the last {CoachNumbers.TrendWeeks} weeks: " +
              string.Join(", ", numbers.ClosedInWindow.Where(s => s.Applications > 0).Select(s => $"{N(s.Applications)} {StageLabel(s.Stage)}")) + ".";

    public static IReadOnlyList<string> TrendLines(CoachNumbers numbers)
    {
        var now = numbers.ThisWeek;
        var last = numbers.LastWeek;
        var first = numbers.Weeks[0].WeekOf;
        return
        [
            $"This week so far: {Count(now.Interviews, "interview", "interviews")} (last week {N(last.Interviews)}), " +
            $"{Count(now.FollowUps, "follow-up", "follow-ups")} ({N(last.FollowUps)}), {Count(now.Outcomes, "outcome", "outcomes")} ({N(last.Outcomes)}), " +
            $"across {Count(numbers.CountedMembers, "member", "members")}.",
            $"Per week since {Day(first)}: interviews {Series(numbers, w => w.Interviews)}; follow-ups {Series(numbers, w => w.FollowUps)}; " +
            $"outcomes {Series(numbers, w => w.Outcomes)}.",
        ];
    }

    /// <summary>The short stage names of charts and tables.</summary>
    public static string StageLabel(ProcessStage stage) => stage switch
    {
        ProcessStage.Interviewing => "interviewing",
        ProcessStage.NextRound => "next round",
        ProcessStage.Waiting => "still deciding",
        ProcessStage.NoReply => "no reply yet",
        ProcessStage.Offer => "offer",
        ProcessStage.Accepted => "accepted",
        ProcessStage.Rejected => "rejected",
        ProcessStage.Withdrawn => "withdrawn",
        _ => "closed, no reply",
    };

    public static string ReasonLabel(NeedsAWord reason) => reason switch
    {
        NeedsAWord.ThankYouOverdue => "thank-you overdue",
        NeedsAWord.FollowUpDue => "follow-up due",
        NeedsAWord.Quiet => $"quiet {CohortStatus.QuietDays}+ days",
        _ => $"{CohortStatus.RejectionsForCheckIn}+ rejections in a row",
    };

    public static string Day(DateOnly day) => day.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    public static string LocalTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);

    public static string WeekLabel(DateOnly weekOf) => weekOf.ToString("d MMM", CultureInfo.InvariantCulture);

    private static string Series(CoachNumbers numbers, Func<WeekNumbers, int> value) =>
        string.Join(", ", numbers.Weeks.Select(w => N(value(w))));

    internal static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{N(n)} {many}";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
