using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Tests.Cohorts;

/// <summary>Builds members' activity for the pure status and digest builders. Now is Monday 7 Dec 2026, 14:00 UTC.</summary>
internal static class CohortFacts
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    public const string SecretNotes = "SECRET-DEBRIEF-NOTES";

    public static Cohort Cohort(DateTimeOffset? lastDigestAt = null) =>
        new(1, "Fall 2026", "test", "w1", "career-room", 99, "K7MQ4T", Zone.Id, "mon 09:00", Now.AddDays(-30), lastDigestAt);

    public static Interview Interview(long id, string company, string role, DateTimeOffset endedAt, Outcome? outcome = null, DateTimeOffset? outcomeAt = null) =>
        new(id, 0, (int)id, company, role, ["Ana Ruiz"], InterviewFormat.Video, endedAt, null, false, [], SecretNotes, endedAt,
            outcome, outcomeAt);

    public static Nudge Nudge(long id, Interview interview, NudgeKind kind, DateTimeOffset dueAt, NudgeState state = NudgeState.Pending) =>
        new(id, interview.Id, interview.MemberId, kind, dueAt, kind == NudgeKind.ThankYou ? "Ana Ruiz" : null, 0, state);

    public static CohortMemberActivity Member(string name, CohortVisibility visibility, DateTimeOffset lastActive,
        IReadOnlyList<Interview>? interviews = null, IReadOnlyList<Nudge>? nudges = null, long id = 1)
    {
        var member = new Domain.Member(id, new MemberKey("test", "w1", name.ToLowerInvariant()), "Europe/Berlin", QuietHours.Default, true,
            Now.AddDays(-60), lastActive);
        return new CohortMemberActivity(new CohortMembership(1, id, visibility, name, Now.AddDays(-20)), member,
            (interviews ?? []).Select(i => i with { MemberId = id }).ToList(), (nudges ?? []).Select(n => n with { MemberId = id }).ToList());
    }

    /// <summary>One open interview at Acme (ended 30 h ago, thank-you not sent, follow-up due) and two rejections in a row.</summary>
    public static CohortMemberActivity Busy(CohortVisibility visibility, string name = "Ana", long id = 1)
    {
        var acme = Interview(10 * id + 1, "Acme", "Backend Engineer", Now.AddHours(-30));
        var initech = Interview(10 * id + 2, "Initech", "Platform Engineer", Now.AddDays(-20), Outcome.Rejected, Now.AddDays(-3));
        var globex = Interview(10 * id + 3, "Globex", "SRE", Now.AddDays(-25), Outcome.Rejected, Now.AddDays(-10));
        return Member(name, visibility, Now.AddDays(-1), [acme, initech, globex],
        [
            Nudge(100 * id + 1, acme, NudgeKind.ThankYou, Now.AddHours(-26)),
            Nudge(100 * id + 2, acme, NudgeKind.FollowUp, Now.AddHours(-2)),
            Nudge(100 * id + 3, acme, NudgeKind.KeepSearching, Now.AddDays(2)),
        ], id);
    }
}
