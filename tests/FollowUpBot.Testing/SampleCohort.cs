using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Testing;

/// <summary>
/// A believable cohort for charts, web pages, screenshots and benchmarks: members at all three levels, each with a
/// few applications over the last two months in every stage, some rounds, follow-ups, thank-yous overdue and quiet
/// members. Deterministic for a given seed. Every interview carries <see cref="SecretNotes"/>, which no coach's view
/// may ever show.
/// </summary>
public static class SampleCohort
{
    public const string SecretNotes = "SECRET-DEBRIEF-NOTES";

    private static readonly string[] Companies =
        ["Acme", "Globex", "Initech", "Hooli", "Umbrella", "Wonka", "Stark", "Wayne", "Tyrell", "Soylent", "Cyberdyne", "Aperture"];
    private static readonly string[] Roles = ["Backend Engineer", "Data Analyst", "Product Designer", "SRE", "QA Lead", "Frontend Engineer"];
    private static readonly string[] Names =
        ["Ana", "Bob", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Max", "Noa", "Oli", "Pia", "Quin", "Rae", "Sol", "Tom"];
    private static readonly Outcome?[] Outcomes =
        [null, null, Outcome.Waiting, Outcome.NoReply, Outcome.NextRound, Outcome.Offer, Outcome.Rejected, Outcome.Rejected, Outcome.Withdrawn, Outcome.Accepted];

    /// <summary>One member: their record (id 0 until stored), their membership and their interviews (ids 0, one process each).</summary>
    public sealed record SampleMember(Member Member, CohortMembership Membership, IReadOnlyList<Interview> Interviews);

    public static IReadOnlyList<SampleMember> Members(int count, DateTimeOffset now, string platform = "test", string workspace = "w1", int seed = 12)
    {
        var random = new Random(seed);
        var members = new List<SampleMember>(count);
        for (var m = 0; m < count; m++)
        {
            var name = count <= Names.Length ? Names[m] : $"{Names[m % Names.Length]} {m / Names.Length + 1}";
            var level = (CohortVisibility)(m % 3 == 0 ? 2 : m % 3 == 1 ? 0 : 1);
            var lastActive = now.AddHours(-random.Next(1, m % 7 == 6 ? 24 * 20 : 24 * 6));
            var member = new Member(0, new MemberKey(platform, workspace, $"u{m:D4}"), "Europe/Berlin", QuietHours.Default, true, now.AddDays(-90), lastActive);
            var interviews = new List<Interview>();
            var applications = random.Next(1, 6);
            for (var a = 0; a < applications; a++)
            {
                var ended = now.AddHours(-random.Next(20, 24 * 55));
                var outcome = Outcomes[random.Next(Outcomes.Length)];
                var outcomeAt = outcome is null ? (DateTimeOffset?)null : ended.AddHours(random.Next(24, 24 * 10));
                // An outcome still to come is no outcome yet.
                if (outcomeAt > now) (outcome, outcomeAt) = (null, null);
                var followUps = outcome is null or Outcome.NoReply && random.Next(3) == 0
                    ? new[] { Min(now, ended.AddDays(random.Next(5, 9))) }
                    : [];
                interviews.Add(new Interview(0, 0, 0, Companies[random.Next(Companies.Length)], Roles[random.Next(Roles.Length)], ["Kim Lee"],
                    InterviewFormat.Video, ended, DateOnly.FromDateTime(now.UtcDateTime).AddDays(random.Next(-3, 12)), false, [], SecretNotes, ended,
                    outcome, outcomeAt, followUps.Length, followUps.Length > 0 ? followUps[0] : null)
                {
                    FollowUpTimes = followUps,
                    NextRoundAt = outcome == Outcome.NextRound ? now.AddHours(random.Next(2, 24 * 10)) : null,
                    OfferDeadline = outcome == Outcome.Offer && random.Next(2) == 0 ? DateOnly.FromDateTime(now.UtcDateTime).AddDays(random.Next(1, 9)) : null,
                });
            }
            members.Add(new SampleMember(member, new CohortMembership(0, 0, level, name, now.AddDays(-60)), interviews));
        }
        return members;
    }

    /// <summary>The members as the pure builders take them (ids assigned here, no nudges).</summary>
    public static IReadOnlyList<CohortMemberActivity> Activity(IReadOnlyList<SampleMember> members, long cohortId = 1)
    {
        var id = 0L;
        return members.Select((m, i) =>
        {
            var memberId = i + 1;
            return new CohortMemberActivity(m.Membership with { CohortId = cohortId, MemberId = memberId }, m.Member with { Id = memberId },
                m.Interviews.Select((interview, n) => interview with { Id = ++id, ProcessId = id, MemberId = memberId, Number = n + 1 }).ToList(), []);
        }).ToList();
    }

    /// <summary>Stores the members, their interviews (each with a thank-you nudge) and their memberships in <paramref name="cohort"/>.</summary>
    public static async Task<IReadOnlyList<Member>> StoreAsync(IReadOnlyList<SampleMember> members, Cohort cohort,
        IMemberRepository memberStore, IInterviewRepository interviewStore, ICohortRepository cohortStore, CancellationToken cancellationToken = default)
    {
        var stored = new List<Member>(members.Count);
        foreach (var sample in members)
        {
            var member = await memberStore.SaveAsync(sample.Member, cancellationToken);
            foreach (var interview in sample.Interviews)
            {
                var thankYou = new Nudge(0, 0, member.Id, NudgeKind.ThankYou, interview.EndedAt.AddHours(3), "Kim Lee", 0,
                    interview.IsOpen && interview.EndedAt.Day % 2 == 0 ? NudgeState.Sent : NudgeState.Done);
                await interviewStore.AddAsync(interview with { MemberId = member.Id }, [thankYou], cancellationToken);
            }
            await cohortStore.SaveMembershipAsync(sample.Membership with { CohortId = cohort.Id, MemberId = member.Id }, cancellationToken);
            stored.Add(member);
        }
        return stored;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
