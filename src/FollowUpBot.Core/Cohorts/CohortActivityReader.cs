using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Cohorts;

/// <summary>
/// Reads what the coach's numbers need for one cohort's members (or one member): all their interviews, and the nudges
/// of every round of an open application (a thank-you of round 1 still counts while round 2 is under way).
/// </summary>
public sealed class CohortActivityReader(
    ICohortRepository cohorts,
    IInterviewRepository interviews,
    INudgeRepository nudges)
{
    /// <summary>The whole cohort in one read (see <see cref="ICohortRepository.ReadActivityAsync"/>), members by id.</summary>
    public async Task<IReadOnlyList<CohortMemberActivity>> ReadAsync(long cohortId, CancellationToken cancellationToken) =>
        (await cohorts.ReadActivityAsync(cohortId, cancellationToken))
            .Select(a => a with { Nudges = OfOpenApplications(a.Interviews, a.Nudges) }).ToList();

    public async Task<CohortMemberActivity> ReadAsync(CohortMembership membership, Member member, CancellationToken cancellationToken)
    {
        var all = await interviews.ListAsync(member.Id, openOnly: false, cancellationToken);
        var memberNudges = new List<Nudge>();
        foreach (var interview in OpenRounds(all))
            memberNudges.AddRange(await nudges.ListByInterviewAsync(interview.Id, cancellationToken));
        return new CohortMemberActivity(membership, member, all, memberNudges);
    }

    private static IEnumerable<Interview> OpenRounds(IReadOnlyList<Interview> all) =>
        InterviewProcess.Of(all).Where(p => p.IsOpen).SelectMany(p => p.Rounds);

    private static IReadOnlyList<Nudge> OfOpenApplications(IReadOnlyList<Interview> all, IReadOnlyList<Nudge> nudges)
    {
        var rounds = OpenRounds(all).Select(i => i.Id).ToHashSet();
        return nudges.Where(n => rounds.Contains(n.InterviewId)).ToList();
    }
}
