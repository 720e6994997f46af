using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Cohorts;

/// <summary>One member of a cohort with everything the status may draw on (the builder decides what shows).</summary>
public sealed record CohortMemberActivity(
    CohortMembership Membership,
    Member Member,
    IReadOnlyList<Interview> Interviews,
    IReadOnlyList<Nudge> Nudges);

/// <summary>
/// One member's line in a coach's view, holding only what their level allows: fields above the level are null,
/// so nothing hidden can reach a renderer by mistake.
/// </summary>
public sealed record CohortStatusRow(
    string Name,
    CohortVisibility Visibility,
    int InProgress,
    int ThankYousOverdue,
    int FollowUpsDue,
    int DaysSinceActivity,
    IReadOnlyList<string>? Companies = null,
    IReadOnlyList<string>? Details = null,
    string? LastOutcome = null,
    int? RejectionsInARow = null);

/// <summary>
/// Builds the coach's per-member status from interviews and nudges; pure. A thank-you is overdue once R2's
/// 24 hours after the interview have passed without it being marked sent (done) or skipped; a follow-up is due
/// once its nudge's time has come and it is not done. The private debrief notes are never read.
/// </summary>
public static class CohortStatus
{
    public static readonly TimeSpan ThankYouWindow = TimeSpan.FromHours(24);
    public const int QuietDays = 14;
    public const int RejectionsForCheckIn = 2;
    public const string Hidden = "—";

    private static readonly NudgeState[] Finished = [NudgeState.Done, NudgeState.Skipped, NudgeState.Cancelled];

    public static IReadOnlyList<string> Columns { get; } =
        ["Member", "In progress", "Thank-yous overdue", "Follow-ups due", "Days quiet", "Interviews", "Last outcome"];

    public static CohortStatusRow Row(CohortMemberActivity activity, CohortVisibility visibility, DateTimeOffset now, TimeZoneInfo zone)
    {
        var open = activity.Interviews.Where(i => i.IsOpen).OrderBy(i => i.EndedAt).ToList();
        var openIds = open.Select(i => i.Id).ToHashSet();
        var endedAt = open.ToDictionary(i => i.Id, i => i.EndedAt);
        var live = activity.Nudges.Where(n => openIds.Contains(n.InterviewId) && !Finished.Contains(n.State)).ToList();

        var row = new CohortStatusRow(
            activity.Membership.DisplayName,
            visibility,
            InProgress: open.Count,
            ThankYousOverdue: live.Count(n => n.Kind == NudgeKind.ThankYou && now > endedAt[n.InterviewId] + ThankYouWindow),
            FollowUpsDue: live.Count(n => n.Kind == NudgeKind.FollowUp && n.DueAt <= now),
            DaysSinceActivity: Math.Max(0, (int)Math.Floor((now - activity.Member.LastActiveAt).TotalDays)));

        if (visibility >= CohortVisibility.WithCompanies)
            row = row with { Companies = open.Select(i => i.Company).Distinct(StringComparer.OrdinalIgnoreCase).ToList() };
        if (visibility >= CohortVisibility.FullDetail)
        {
            var decided = Decided(activity.Interviews);
            var last = decided.FirstOrDefault();
            row = row with
            {
                Details = open.Select(i => $"{i.Company}" + (string.IsNullOrWhiteSpace(i.Role) ? "" : $", {i.Role}") +
                                           $", interviewed {Day(i.EndedAt, zone)}" +
                                           (i.Outcome == Outcome.Waiting ? ", still deciding" : "")).ToList(),
                LastOutcome = last is null ? null : $"{OutcomeName(last.Outcome!.Value)} ({last.Company}, {Day(last.OutcomeAt ?? last.EndedAt, zone)})",
                RejectionsInARow = decided.TakeWhile(i => i.Outcome == Outcome.Rejected).Count(),
            };
        }
        return row;
    }

    /// <summary>Every member's row at the level they chose in this cohort, by name.</summary>
    public static IReadOnlyList<CohortStatusRow> Rows(IEnumerable<CohortMemberActivity> members, DateTimeOffset now, TimeZoneInfo zone) =>
        members.Select(m => Row(m, m.Membership.Visibility, now, zone))
            .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The rows as a table with a totals row last.</summary>
    public static MessageTable Table(IReadOnlyList<CohortStatusRow> rows)
    {
        var cells = rows.Select(Cells).ToList();
        cells.Add([
            $"Total ({rows.Count})",
            N(rows.Sum(r => r.InProgress)),
            N(rows.Sum(r => r.ThankYousOverdue)),
            N(rows.Sum(r => r.FollowUpsDue)),
            "", "", "",
        ]);
        return new MessageTable(Columns, cells);
    }

    public static IReadOnlyList<string> Cells(CohortStatusRow row) =>
    [
        row.Name,
        N(row.InProgress),
        row.ThankYousOverdue > 0 ? $"{N(row.ThankYousOverdue)} overdue" : "0",
        row.FollowUpsDue > 0 ? $"{N(row.FollowUpsDue)} due" : "0",
        N(row.DaysSinceActivity) + (row.DaysSinceActivity >= QuietDays ? " (quiet)" : ""),
        row.Details is { } details ? Or(string.Join("; ", details), "none open")
            : row.Companies is { } companies ? Or(string.Join(", ", companies), "none open")
            : Hidden,
        row.Visibility >= CohortVisibility.FullDetail ? row.LastOutcome ?? "none yet" : Hidden,
    ];

    /// <summary>The row as one line of plain text (previews and text-only platforms).</summary>
    public static string Line(CohortStatusRow row)
    {
        var parts = new List<string>
        {
            $"{N(row.InProgress)} in progress",
            $"{N(row.ThankYousOverdue)} thank-you{(row.ThankYousOverdue == 1 ? "" : "s")} overdue",
            $"{N(row.FollowUpsDue)} follow-up{(row.FollowUpsDue == 1 ? "" : "s")} due",
            $"{N(row.DaysSinceActivity)} day{(row.DaysSinceActivity == 1 ? "" : "s")} since last activity",
        };
        if (row.Details is { } details) parts.Add("interviews: " + Or(string.Join("; ", details), "none open"));
        else if (row.Companies is { } companies) parts.Add("companies: " + Or(string.Join(", ", companies), "none open"));
        if (row.Visibility >= CohortVisibility.FullDetail)
        {
            parts.Add("last outcome: " + (row.LastOutcome ?? "none yet"));
            if (row.RejectionsInARow >= RejectionsForCheckIn) parts.Add($"{row.RejectionsInARow} rejections in a row");
        }
        return $"{row.Name}: {string.Join(", ", parts)}";
    }

    /// <summary>Interviews with a final outcome, latest first.</summary>
    internal static IReadOnlyList<Interview> Decided(IEnumerable<Interview> interviews) =>
        interviews.Where(i => i.Outcome is Outcome.Offer or Outcome.Rejected or Outcome.Withdrawn)
            .OrderByDescending(i => i.OutcomeAt ?? i.EndedAt).ThenByDescending(i => i.Number).ToList();

    internal static string Day(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("d MMM", CultureInfo.InvariantCulture);

    internal static string OutcomeName(Outcome outcome) => outcome.ToString().ToLowerInvariant();

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Or(string text, string fallback) => text.Length == 0 ? fallback : text;
}
