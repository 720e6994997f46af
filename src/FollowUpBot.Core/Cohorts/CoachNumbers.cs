using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Cohorts;

public enum UpcomingKind
{
    /// <summary>The employer said they would decide by this day.</summary>
    DecisionDate,
    /// <summary>A next round the member scheduled.</summary>
    NextRound,
    /// <summary>An offer waiting for the member's answer (by its deadline, once the member gave it).</summary>
    OfferAnswer,
}

/// <summary>
/// One thing coming up for a member who shares full detail: only such members appear by name.
/// <see cref="At"/> is set for a next round, <see cref="Day"/> for a decision date or an offer's deadline.
/// </summary>
public sealed record UpcomingItem(long MemberId, string MemberName, UpcomingKind Kind, string Company, string? Role,
    DateTimeOffset? At = null, DateOnly? Day = null);

/// <summary>How many of each kind of upcoming thing.</summary>
public sealed record UpcomingCounts(int DecisionDates, int NextRounds, int OfferAnswers)
{
    public int Total => DecisionDates + NextRounds + OfferAnswers;
}

/// <summary>
/// What is coming up in the next <see cref="CoachNumbers.UpcomingDays"/> days (offers: whenever their deadline is):
/// the items of members at full detail by name, and how many more there are from members who share less.
/// </summary>
public sealed record CohortUpcoming(IReadOnlyList<UpcomingItem> Named, UpcomingCounts Unnamed)
{
    public UpcomingCounts Total => new(
        Named.Count(i => i.Kind == UpcomingKind.DecisionDate) + Unnamed.DecisionDates,
        Named.Count(i => i.Kind == UpcomingKind.NextRound) + Unnamed.NextRounds,
        Named.Count(i => i.Kind == UpcomingKind.OfferAnswer) + Unnamed.OfferAnswers);
}

/// <summary>
/// One week of the cohort's trend, all members counted (no names): rounds interviewed, follow-ups logged, and
/// outcomes recorded, split the way the chart stacks them. A round's latest outcome counts in the week it was recorded.
/// </summary>
public sealed record WeekNumbers(DateOnly WeekOf, int Interviews, int FollowUps, int NextRounds, int Offers, int Rejections, int OtherOutcomes)
{
    public int Outcomes => NextRounds + Offers + Rejections + OtherOutcomes;
}

/// <summary>Applications at one stage, all members counted.</summary>
public sealed record StageCount(ProcessStage Stage, int Applications);

/// <summary>One open application of a member at full detail: what the member's page and the stage column show.</summary>
public sealed record ApplicationLine(string Company, string? Role, int Round, ProcessStage Stage, DateTimeOffset InterviewedAt,
    DateOnly? DecisionDate, DateTimeOffset? NextRoundAt, DateOnly? OfferDeadline);

/// <summary>Why a coach might want to have a word with a member; each reason only at the levels that allow it.</summary>
public enum NeedsAWord { ThankYouOverdue, FollowUpDue, Quiet, RejectionStreak }

/// <summary>
/// A member as the coach's view shows them: the status row at their level, the open applications only at full
/// detail (null otherwise), and the reasons to have a word allowed at their level.
/// </summary>
public sealed record CoachMemberLine(long MemberId, CohortStatusRow Status, IReadOnlyList<ApplicationLine>? Applications,
    IReadOnlyList<NeedsAWord> Reasons)
{
    public string Name => Status.Name;

    public CohortVisibility Visibility => Status.Visibility;

    /// <summary>The furthest stage of the member's open applications; null below full detail or with none open.</summary>
    public ProcessStage? FurthestStage =>
        Applications is { Count: > 0 } open ? open.Select(a => a.Stage).MaxBy(CoachNumbers.StageRank) : null;
}

/// <summary>
/// The numbers a coach acts on, for one cohort at one moment: the one aggregate <c>/cohort status</c>, the digest,
/// its chart and the web view all draw from, so they cannot disagree. Pure. Only members at full detail appear by
/// name with stages, dates and outcomes (members sharing companies add their company names to their row). Members
/// below full detail count in the totals (funnel, trend, upcoming counts) without their names, but only once at least
/// <see cref="MinimumCrowd"/> of them do: a total over one or two of them (or a total minus the named members) would
/// give their dates and outcomes away. The private debrief notes are never read.
/// </summary>
public sealed record CoachNumbers(
    Cohort Cohort,
    DateTimeOffset Now,
    TimeZoneInfo Zone,
    IReadOnlyList<CoachMemberLine> Members,
    CohortUpcoming Upcoming,
    IReadOnlyList<StageCount> OpenStages,
    IReadOnlyList<StageCount> ClosedInWindow,
    IReadOnlyList<WeekNumbers> Weeks)
{
    public const int UpcomingDays = 7;
    public const int TrendWeeks = 8;

    /// <summary>How many members below full detail it takes before their numbers join the totals.</summary>
    public const int MinimumCrowd = 3;

    /// <summary>The stages of open applications, in the order an application moves through them.</summary>
    public static IReadOnlyList<ProcessStage> OpenStageOrder { get; } =
        [ProcessStage.Interviewing, ProcessStage.Waiting, ProcessStage.NoReply, ProcessStage.NextRound, ProcessStage.Offer];

    public static IReadOnlyList<ProcessStage> ClosedStageOrder { get; } =
        [ProcessStage.Accepted, ProcessStage.Rejected, ProcessStage.Withdrawn, ProcessStage.ClosedNoReply];

    /// <summary>How far along a stage is, for "furthest stage": an offer beats a next round beats waiting.</summary>
    public static int StageRank(ProcessStage stage) => stage switch
    {
        ProcessStage.Offer => 4,
        ProcessStage.NextRound => 3,
        ProcessStage.Waiting => 2,
        ProcessStage.Interviewing => 1,
        _ => 0,
    };

    public WeekNumbers ThisWeek => Weeks[^1];

    public WeekNumbers LastWeek => Weeks[^2];

    public int OpenApplications => OpenStages.Sum(s => s.Applications);

    public int MembersBelowFullDetail => Members.Count(m => m.Visibility != CohortVisibility.FullDetail);

    /// <summary>Whether the members below full detail count in the totals (see <see cref="MinimumCrowd"/>).</summary>
    public bool CrowdCounted => MembersBelowFullDetail >= MinimumCrowd;

    /// <summary>The members the totals are over.</summary>
    public int CountedMembers => CrowdCounted ? Members.Count : Members.Count - MembersBelowFullDetail;

    /// <summary>Members below full detail left out of the totals because too few share less.</summary>
    public int UncountedMembers => Members.Count - CountedMembers;

    public static CoachNumbers Build(Cohort cohort, IReadOnlyList<CohortMemberActivity> members, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).Date);
        var lines = new List<CoachMemberLine>(members.Count);
        var named = new List<UpcomingItem>();
        int hiddenDecisions = 0, hiddenRounds = 0, hiddenOffers = 0;
        var open = OpenStageOrder.ToDictionary(s => s, _ => 0);
        var closed = ClosedStageOrder.ToDictionary(s => s, _ => 0);

        var thisMonday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var firstMonday = thisMonday.AddDays(-7 * (TrendWeeks - 1));
        var windowStart = ZonedTimeStart(firstMonday, zone);
        var weeks = new int[TrendWeeks, 6];
        var crowd = members.Count(m => m.Membership.Visibility != CohortVisibility.FullDetail) >= MinimumCrowd;

        foreach (var activity in members)
        {
            var level = activity.Membership.Visibility;
            var row = CohortStatus.Row(activity, level, now, zone);
            var processes = InterviewProcess.Of(activity.Interviews);
            var openProcesses = processes.Where(p => p.IsOpen).OrderBy(p => p.Current.EndedAt).ToList();
            var applications = level == CohortVisibility.FullDetail
                ? openProcesses.Select(p => p.Current)
                    .Select(i => new ApplicationLine(i.Company, i.Role, i.Round, i.Stage, i.EndedAt, i.DecisionDate, i.NextRoundAt, i.OfferDeadline))
                    .ToList()
                : null;
            lines.Add(new CoachMemberLine(activity.Member.Id, row, applications, Reasons(row)));
            if (level != CohortVisibility.FullDetail && !crowd) continue;

            foreach (var process in processes)
            {
                if (process.IsOpen) open[process.Stage]++;
                else if (process.Current.OutcomeAt is { } closedAt && closedAt >= windowStart && closedAt <= now) closed[process.Stage]++;
            }

            foreach (var process in openProcesses)
            {
                var current = process.Current;
                foreach (var (kind, at, day) in ComingUp(current, now, today))
                {
                    if (level == CohortVisibility.FullDetail)
                        named.Add(new UpcomingItem(activity.Member.Id, activity.Membership.DisplayName, kind, current.Company, current.Role, at, day));
                    else if (kind == UpcomingKind.DecisionDate) hiddenDecisions++;
                    else if (kind == UpcomingKind.NextRound) hiddenRounds++;
                    else hiddenOffers++;
                }
            }

            foreach (var interview in activity.Interviews)
            {
                Count(weeks, Week(interview.EndedAt), 0);
                foreach (var followUp in FollowUpTimes(interview)) Count(weeks, Week(followUp), 1);
                if (interview.Outcome is { } outcome && interview.OutcomeAt is { } outcomeAt)
                    Count(weeks, Week(outcomeAt), outcome switch
                    {
                        Outcome.NextRound => 2,
                        Outcome.Offer or Outcome.Accepted => 3,
                        Outcome.Rejected => 4,
                        _ => 5,
                    });
            }
        }

        var trend = Enumerable.Range(0, TrendWeeks)
            .Select(w => new WeekNumbers(firstMonday.AddDays(7 * w), weeks[w, 0], weeks[w, 1], weeks[w, 2], weeks[w, 3], weeks[w, 4], weeks[w, 5]))
            .ToList();
        return new CoachNumbers(
            cohort, now, zone,
            lines.OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase).ThenBy(l => l.MemberId).ToList(),
            new CohortUpcoming(
                named.OrderBy(i => i.Kind == UpcomingKind.OfferAnswer ? 1 : 0)
                    .ThenBy(i => i.At?.UtcDateTime ?? (i.Day ?? DateOnly.MaxValue).ToDateTime(TimeOnly.MinValue))
                    .ThenBy(i => i.MemberName, StringComparer.OrdinalIgnoreCase).ToList(),
                new UpcomingCounts(hiddenDecisions, hiddenRounds, hiddenOffers)),
            OpenStageOrder.Select(s => new StageCount(s, open[s])).ToList(),
            ClosedStageOrder.Select(s => new StageCount(s, closed[s])).ToList(),
            trend);

        int Week(DateTimeOffset instant)
        {
            if (instant > now) return -1;
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).Date);
            var index = (day.DayNumber - firstMonday.DayNumber) / 7;
            return day < firstMonday || index >= TrendWeeks ? -1 : index;
        }
    }

    private static void Count(int[,] weeks, int week, int column)
    {
        if (week >= 0) weeks[week, column]++;
    }

    /// <summary>Follow-ups logged before their times were kept know only the latest.</summary>
    private static IEnumerable<DateTimeOffset> FollowUpTimes(Interview interview) =>
        interview.FollowUpTimes.Count > 0 ? interview.FollowUpTimes
        : interview.LastFollowUpAt is { } last ? [last]
        : [];

    /// <summary>What is coming up for the latest round of an open application.</summary>
    private static IEnumerable<(UpcomingKind Kind, DateTimeOffset? At, DateOnly? Day)> ComingUp(Interview current, DateTimeOffset now, DateOnly today)
    {
        var lastDay = today.AddDays(UpcomingDays);
        switch (current.Stage)
        {
            case ProcessStage.Offer:
                yield return (UpcomingKind.OfferAnswer, null, current.OfferDeadline);
                break;
            case ProcessStage.NextRound when current.NextRoundAt is { } at && at >= now && at <= now.AddDays(UpcomingDays):
                yield return (UpcomingKind.NextRound, at, null);
                break;
            case ProcessStage.Interviewing or ProcessStage.Waiting or ProcessStage.NoReply
                when current.DecisionDate is { } day && day >= today && day <= lastDay:
                yield return (UpcomingKind.DecisionDate, null, day);
                break;
        }
    }

    /// <summary>Reasons shown only where the level allows: a rejection streak is an outcome, so full detail only.</summary>
    private static IReadOnlyList<NeedsAWord> Reasons(CohortStatusRow row)
    {
        var reasons = new List<NeedsAWord>();
        if (row.ThankYousOverdue > 0) reasons.Add(NeedsAWord.ThankYouOverdue);
        if (row.FollowUpsDue > 0) reasons.Add(NeedsAWord.FollowUpDue);
        if (row.DaysSinceActivity >= CohortStatus.QuietDays) reasons.Add(NeedsAWord.Quiet);
        if (row.RejectionsInARow >= CohortStatus.RejectionsForCheckIn) reasons.Add(NeedsAWord.RejectionStreak);
        return reasons;
    }

    private static DateTimeOffset ZonedTimeStart(DateOnly day, TimeZoneInfo zone) =>
        Input.ZonedTime.ToInstant(day.ToDateTime(TimeOnly.MinValue), zone);
}
