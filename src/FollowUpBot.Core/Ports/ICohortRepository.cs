using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Ports;

public interface ICohortRepository
{
    /// <summary>Stores a new cohort. Returns null, storing nothing, when its join code is already taken.</summary>
    Task<Cohort?> TryAddAsync(Cohort cohort, CancellationToken cancellationToken);

    Task<Cohort?> GetAsync(long cohortId, CancellationToken cancellationToken);

    /// <summary>The cohort with this (normalized) join code, if any.</summary>
    Task<Cohort?> FindByJoinCodeAsync(string joinCode, CancellationToken cancellationToken);

    /// <summary>The cohorts this member coaches, by name.</summary>
    Task<IReadOnlyList<Cohort>> ListByCoachAsync(long coachMemberId, CancellationToken cancellationToken);

    /// <summary>Every cohort (the digest reconciler gives each its trigger).</summary>
    Task<IReadOnlyList<Cohort>> ListAllAsync(CancellationToken cancellationToken);

    /// <summary>Writes the name, channel, zone and digest schedule.</summary>
    Task UpdateAsync(Cohort cohort, CancellationToken cancellationToken);

    /// <summary>Adds the membership or changes its level and display name.</summary>
    Task SaveMembershipAsync(CohortMembership membership, CancellationToken cancellationToken);

    /// <summary>Returns false when the member was not in the cohort.</summary>
    Task<bool> RemoveMembershipAsync(long cohortId, long memberId, CancellationToken cancellationToken);

    Task<IReadOnlyList<CohortMembership>> ListMembershipsAsync(long cohortId, CancellationToken cancellationToken);

    /// <summary>
    /// What a coach's view of the cohort reads, in one round trip whatever its size: every member with their
    /// membership, all their interviews, and the nudges of their rounds whose own outcome left them open (the nudges
    /// of closed rounds are never read). Members by id.
    /// </summary>
    Task<IReadOnlyList<CohortMemberActivity>> ReadActivityAsync(long cohortId, CancellationToken cancellationToken);

    /// <summary>The cohorts a member joined, with their membership in each.</summary>
    Task<IReadOnlyList<(Cohort Cohort, CohortMembership Membership)>> ListJoinedAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the digest run <paramref name="runKey"/> (one per scheduled fire time): false when it was claimed
    /// before, so a double fire or a replayed firing posts nothing.
    /// </summary>
    Task<bool> TryStartDigestAsync(long cohortId, string runKey, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records how the run ended; a posted run becomes the cohort's <see cref="Cohort.LastDigestAt"/>.</summary>
    Task CompleteDigestAsync(long cohortId, string runKey, bool posted, DateTimeOffset at, CancellationToken cancellationToken);
}
