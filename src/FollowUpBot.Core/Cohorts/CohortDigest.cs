using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Cohorts;

/// <summary>
/// A cohort's digest for its coach channel; pure. The status table, what is coming up, where the applications stand
/// and the trend (<see cref="CoachReport"/>), and since the last digest (or the cohort's creation): offers and rejections, members quiet for <see cref="CohortStatus.QuietDays"/> days, and members with
/// two or more rejections in a row, flagged for a supportive check-in. Offers accepted and applications closed without
/// a reply are listed with the offers and rejections. Outcomes and rejection streaks are shown
/// only for members who chose full detail; everything else follows each member's level.
/// </summary>
public static class CohortDigest
{
    private static string Verb(Outcome outcome) => outcome switch
    {
        Outcome.Offer => "offer from",
        Outcome.Accepted => "accepted an offer from",
        Outcome.ClosedNoReply => "closed without a reply from",
        _ => "rejected by",
    };

    public static IReadOnlyList<Message> Build(Cohort cohort, IReadOnlyList<CohortMemberActivity> members, DateTimeOffset now, TimeZoneInfo zone) =>
        Build(CoachNumbers.Build(cohort, members, now, zone), members);

    /// <summary>The digest of <paramref name="numbers"/>, built from <paramref name="members"/> at the same moment.</summary>
    public static IReadOnlyList<Message> Build(CoachNumbers numbers, IReadOnlyList<CohortMemberActivity> members)
    {
        var (cohort, now, zone) = (numbers.Cohort, numbers.Now, numbers.Zone);
        var since = cohort.LastDigestAt ?? cohort.CreatedAt;
        var sinceText = TimeZoneInfo.ConvertTime(since, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
        var title = $"{cohort.Name}: digest, {TimeZoneInfo.ConvertTime(now, zone).ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}";
        if (members.Count == 0)
        {
            return MessagePager.Paginate(title,
            [
                new MessageSection("Status", [$"Nobody has joined yet. Members join with /cohort join code:{cohort.JoinCode}"]),
            ]);
        }

        var rows = numbers.Members.Select(m => m.Status).ToList();

        var outcomes = members
            .Where(m => m.Membership.Visibility == CohortVisibility.FullDetail)
            .SelectMany(m => m.Interviews
                .Where(i => i.Outcome is Outcome.Offer or Outcome.Rejected or Outcome.Accepted or Outcome.ClosedNoReply &&
                            i.OutcomeAt is { } at && at > since && at <= now)
                .Select(i => (m.Membership.DisplayName, Interview: i)))
            .OrderBy(x => x.Interview.OutcomeAt)
            .Select(x => $"{x.DisplayName}: {Verb(x.Interview.Outcome!.Value)} {x.Interview.Company}" +
                         (string.IsNullOrWhiteSpace(x.Interview.Role) ? "" : $" ({x.Interview.Role})") +
                         $", {CohortStatus.Day(x.Interview.OutcomeAt!.Value, zone)}")
            .ToList();
        var notSharing = members.Count(m => m.Membership.Visibility != CohortVisibility.FullDetail);

        var quiet = rows.Where(r => r.DaysSinceActivity >= CohortStatus.QuietDays)
            .Select(r => $"{r.Name}: {r.DaysSinceActivity} days since last activity").ToList();
        var checkIns = rows.Where(r => r.RejectionsInARow >= CohortStatus.RejectionsForCheckIn)
            .Select(r => $"{r.Name}: {r.RejectionsInARow} rejections in a row; a supportive word may help").ToList();

        return MessagePager.Paginate(title,
        [
            new MessageSection("Status", [$"{members.Count} member{(members.Count == 1 ? "" : "s")}; changes since {sinceText} ({zone.Id})."],
                CohortStatus.Table(rows)),
            .. CoachReport.Sections(numbers),
            new MessageSection("Offers and rejections since the last digest",
                [.. (outcomes.Count > 0 ? outcomes : ["None shared."]),
                 .. (notSharing > 0 ? [$"({notSharing} {(notSharing == 1 ? "member shares" : "members share")} less than full detail, so their outcomes are not shown.)"] : Array.Empty<string>())]),
            new MessageSection($"Quiet for {CohortStatus.QuietDays} days or more", quiet.Count > 0 ? quiet : ["Nobody."]),
            new MessageSection("Might welcome a supportive check-in", checkIns.Count > 0 ? checkIns : ["Nobody flagged."]),
        ]);
    }
}
