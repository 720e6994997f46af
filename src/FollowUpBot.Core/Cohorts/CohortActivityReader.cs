using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Cohorts;

/// <summary>Reads what the status and digest builders need for one cohort's members (or one member).</summary>
public sealed class CohortActivityReader(
    ICohortRepository cohorts,
    IMemberRepository members,
    IInterviewRepository interviews,
    INudgeRepository nudges)
{
    public async Task<IReadOnlyList<CohortMemberActivity>> ReadAsync(long cohortId, CancellationToken cancellationToken)
    {
        var result = new List<CohortMemberActivity>();
        foreach (var membership in await cohorts.ListMembershipsAsync(cohortId, cancellationToken))
        {
            if (await members.GetAsync(membership.MemberId, cancellationToken) is not { } member) continue;
            result.Add(await ReadAsync(membership, member, cancellationToken));
        }
        return result;
    }

    public async Task<CohortMemberActivity> ReadAsync(CohortMembership membership, Member member, CancellationToken cancellationToken)
    {
        var all = await interviews.ListAsync(member.Id, openOnly: false, cancellationToken);
        var memberNudges = new List<Nudge>();
        // Every round of an open application: a thank-you of round 1 still counts while round 2 is under way.
        foreach (var interview in InterviewProcess.Of(all).Where(p => p.IsOpen).SelectMany(p => p.Rounds))
            memberNudges.AddRange(await nudges.ListByInterviewAsync(interview.Id, cancellationToken));
        return new CohortMemberActivity(membership, member, all, memberNudges);
    }
}
