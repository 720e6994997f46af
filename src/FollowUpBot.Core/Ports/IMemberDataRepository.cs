namespace FollowUpBot.Core.Ports;

/// <summary>
/// What deleting a member removed. <see cref="NudgeIds"/> and <see cref="CohortIds"/> name the scheduler triggers
/// that must go too (nudges, and the digests of cohorts the member coached).
/// </summary>
public sealed record MemberDataRemoval(
    bool Member,
    int Interviews,
    IReadOnlyList<long> NudgeIds,
    int Memberships,
    IReadOnlyList<long> CohortIds,
    int FormDrafts);

/// <summary>Interviews removed by retention, and their nudges (whose triggers must go).</summary>
public sealed record RetentionRemoval(int Interviews, IReadOnlyList<long> NudgeIds);

/// <summary>Members' control of their data, and retention.</summary>
public interface IMemberDataRepository
{
    /// <summary>
    /// Removes, in one transaction, every row of the member: the member, interviews, nudges and their delivery
    /// records, form drafts, cohort memberships, and the cohorts they coach (with those cohorts' memberships and
    /// digest runs). Nothing of any other member's own data.
    /// </summary>
    Task<MemberDataRemoval> DeleteMemberAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the processes (every round) whose latest round's outcome ended it (an offer, or a close: accepted, rejected,
    /// withdrawn, no reply) before <paramref name="closedBefore"/>.
    /// </summary>
    Task<RetentionRemoval> DeleteInterviewsClosedBeforeAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken);
}
