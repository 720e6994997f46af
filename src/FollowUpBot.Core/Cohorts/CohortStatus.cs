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
/// Builds the coach's per-member status from interviews and nudges; pure. "In progress" counts open applications
/// (the rounds of one company are one). A thank-you is overdue once R2's 24 hours after the interview have passed
/// without it being marked sent (on itself or on its reminder), skipped or snoozed; a follow-up is due once its nudge's
/// time has come until the member logs it (or marks it done). Activity is the member's last command, press or form,
/// or anything they recorded. The private debrief notes are never read.
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
        var processes = InterviewProcess.Of(activity.Interviews).Where(p => p.IsOpen).OrderBy(p => p.Current.EndedAt).ToList();
        var rounds = processes.SelectMany(p => p.Rounds).ToDictionary(i => i.Id);
        var live = activity.Nudges.Where(n => rounds.ContainsKey(n.InterviewId) && !Finished.Contains(n.State)).ToList();
        // A reminder marked done means its thank-you went out, whatever the thank-you nudge itself says.
        var thankedThroughReminder = activity.Nudges
            .Where(n => n.Kind == NudgeKind.ThankYouReminder && n.State == NudgeState.Done)
            .Select(n => (n.InterviewId, n.Interviewer)).ToHashSet();

        var row = new CohortStatusRow(
            activity.Membership.DisplayName,
            visibility,
            InProgress: processes.Count,
            ThankYousOverdue: live.Count(n => n.Kind == NudgeKind.ThankYou && n.State != NudgeState.Snoozed &&
                                              !thankedThroughReminder.Contains((n.InterviewId, n.Interviewer)) &&
                                              now > rounds[n.InterviewId].EndedAt + ThankYouWindow),
            FollowUpsDue: live.Count(n => n.Kind == NudgeKind.FollowUp && n.DueAt <= now &&
                                          rounds[n.InterviewId].FollowUpsLogged < Math.Max(1, n.Sequence)),
            DaysSinceActivity: Math.Max(0, (int)Math.Floor((now - LastActivity(activity)).TotalDays)));

        if (visibility >= CohortVisibility.WithCompanies)
            row = row with { Companies = processes.Select(p => p.Company).Distinct(StringComparer.OrdinalIgnoreCase).ToList() };
        if (visibility >= CohortVisibility.FullDetail)
        {
            var decided = Decided(activity.Interviews);
            var last = decided.FirstOrDefault();
            row = row with
            {
                Details = processes.Select(p => p.Current).Select(i => $"{i.Company}" + (string.IsNullOrWhiteSpace(i.Role) ? "" : $", {i.Role}") +
                                           $", interviewed {Day(i.EndedAt, zone)}" + (i.Round > 1 ? $" (round {i.Round})" : "") +
                                           $", {i.Stage.Describe()}").ToList(),
                LastOutcome = last is null ? null : $"{OutcomeName(last.Outcome!.Value)} ({last.Company}, {Day(last.OutcomeAt ?? last.EndedAt, zone)})",
                RejectionsInARow = decided.TakeWhile(i => i.Outcome == Outcome.Rejected).Count(),
            };
        }
        return row;
    }

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

    /// <summary>The latest thing the member did: any command, press or form, or anything they recorded.</summary>
    private static DateTimeOffset LastActivity(CohortMemberActivity activity) =>
        activity.Interviews.SelectMany(i => new[] { i.CreatedAt, i.OutcomeAt ?? i.CreatedAt, i.LastFollowUpAt ?? i.CreatedAt })
            .Append(activity.Member.LastActiveAt).Max();

    /// <summary>Interviews whose outcome ended their round (an offer, or a close), latest first.</summary>
    internal static IReadOnlyList<Interview> Decided(IEnumerable<Interview> interviews) =>
        interviews.Where(i => i.Outcome is { } o && o.EndsTheRound())
            .OrderByDescending(i => i.OutcomeAt ?? i.EndedAt).ThenByDescending(i => i.Number).ToList();

    internal static string Day(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("d MMM", CultureInfo.InvariantCulture);

    internal static string OutcomeName(Outcome outcome) => outcome switch
    {
        Outcome.Accepted => "offer accepted",
        Outcome.ClosedNoReply => "closed, no reply",
        _ => outcome.Name().Replace('_', ' '),
    };

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Or(string text, string fallback) => text.Length == 0 ? fallback : text;
}
