using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Ports;

public interface INudgeRepository
{
    Task<Nudge?> GetAsync(long nudgeId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Nudge>> ListByInterviewAsync(long interviewId, CancellationToken cancellationToken);

    /// <summary>The member's nudges across all their interviews that wait for their trigger (pending, snoozed) or
    /// reached them at or after <paramref name="sentSince"/>: what a new plan must keep its distance from.</summary>
    Task<IReadOnlyList<Nudge>> ListUpcomingByMemberAsync(long memberId, DateTimeOffset sentSince, CancellationToken cancellationToken);

    Task<IReadOnlyList<Nudge>> ListByStateAsync(IReadOnlyCollection<NudgeState> states, CancellationToken cancellationToken);

    /// <summary>Due time of the earliest pending or snoozed nudge, if any (the console's clock walks to it).</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken);

    /// <summary>Atomically moves a pending or snoozed nudge to sending (attempts + 1, claimed at
    /// <paramref name="now"/>). Returns the claimed nudge, or null when it was not claimable: a second
    /// fire of the same trigger, or a nudge that became moot, gets null and sends nothing.</summary>
    Task<Nudge?> TryClaimAsync(long nudgeId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The same, but only a nudge due at or before <paramref name="dueBy"/>: a trigger left behind for a
    /// nudge moved later (out of the scheduling horizon, say) then finds nothing to send at its old time.</summary>
    Task<Nudge?> TryClaimAsync(long nudgeId, DateTimeOffset now, DateTimeOffset? dueBy, CancellationToken cancellationToken);

    /// <summary>
    /// The firing of nudge <paramref name="nudgeId"/>'s trigger claims, in one atomic statement, that nudge (when due at or
    /// before <paramref name="dueBy"/>, as <see cref="TryClaimAsync(long, DateTimeOffset, DateTimeOffset?, CancellationToken)"/>)
    /// and up to <paramref name="others"/> more nudges due at or before <paramref name="now"/>, earliest first: a burst due
    /// at one instant is then delivered in groups instead of waiting for each trigger. Each claimed nudge moves to sending
    /// exactly as a single claim does and remembers the firing that claimed it (see <see cref="ListClaimedByFiringAsync"/>);
    /// a nudge another claimer holds is never returned. The fired nudge comes first when it was claimed, the rest by due
    /// time; an empty list when nothing was claimable. Each comes with its interview and member, read in the same round
    /// trip (null when gone), which is all the dispatcher needs to decide and compose most nudges.
    /// </summary>
    Task<IReadOnlyList<ClaimedNudge>> TryClaimDueAsync(long nudgeId, DateTimeOffset now, DateTimeOffset dueBy, int others,
        CancellationToken cancellationToken);

    /// <summary>The nudges still in sending that the firing of nudge <paramref name="nudgeId"/>'s trigger claimed: what a
    /// recovered firing (its instance died) must resume, and nothing a live firing holds.</summary>
    Task<IReadOnlyList<Nudge>> ListClaimedByFiringAsync(long nudgeId, CancellationToken cancellationToken);

    /// <summary>Records the delivery of several claimed nudges in one transaction, each exactly as
    /// <see cref="CompleteAsync"/> with <see cref="NudgeState.Sent"/> would. Returns the ids recorded: a nudge that was not
    /// in sending any more, or whose delivery was already recorded, is left out.</summary>
    Task<IReadOnlyCollection<long>> CompleteSentAsync(IReadOnlyCollection<long> nudgeIds, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Finishes a claimed (sending) nudge: Sent records the delivery under its unique delivery key
    /// and counts it; Pending with <paramref name="nextDueAt"/> releases it for a retry; Skipped/Failed end it.
    /// <paramref name="possibleRepeat"/> marks a release after a send whose fate is unknown (<see cref="Nudge.PossibleRepeat"/>);
    /// a delivery clears the mark. Returns false when the nudge was not in sending any more.</summary>
    Task<bool> CompleteAsync(long nudgeId, NudgeState to, DateTimeOffset at, string? error,
        DateTimeOffset? nextDueAt, bool possibleRepeat, CancellationToken cancellationToken);

    /// <summary>Changes the state (and optionally the due time) of a nudge that is in one of
    /// <paramref name="from"/>. Returns false when it was not.</summary>
    Task<bool> ChangeStateAsync(long nudgeId, IReadOnlyCollection<NudgeState> from, NudgeState to,
        DateTimeOffset? dueAt, CancellationToken cancellationToken);
}

/// <summary>A nudge just claimed for delivery, with its interview and member as they were read with the claim.</summary>
public sealed record ClaimedNudge(Nudge Nudge, Interview? Interview, Member? Member);
