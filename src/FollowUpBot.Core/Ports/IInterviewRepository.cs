using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Ports;

/// <summary>A state change of one nudge, applied only if the nudge is in one of <see cref="From"/>.
/// <see cref="MarkedAt"/> records when the member marked it done or skipped.</summary>
public sealed record NudgeStateChange(long NudgeId, IReadOnlyCollection<NudgeState> From, NudgeState To, DateTimeOffset? DueAt = null,
    DateTimeOffset? MarkedAt = null);

/// <summary>Nudges to add and nudge states to change, applied together with an interview update.</summary>
public sealed record NudgeChanges(IReadOnlyList<Nudge> Add, IReadOnlyList<NudgeStateChange> Change)
{
    public static NudgeChanges None { get; } = new([], []);
}

/// <summary>Result of an update: the nudges added (with ids) and the ids of those whose change applied.</summary>
public sealed record NudgeChangeResult(IReadOnlyList<Nudge> Added, IReadOnlyList<long> Changed);

public interface IInterviewRepository
{
    /// <summary>Stores a new interview and its nudges in one transaction, assigning the interview's id and
    /// the member's next number, and the nudges' ids (their InterviewId is filled in).</summary>
    Task<(Interview Interview, IReadOnlyList<Nudge> Nudges)> AddAsync(
        Interview interview, IReadOnlyList<Nudge> nudges, CancellationToken cancellationToken);

    Task<Interview?> GetAsync(long interviewId, CancellationToken cancellationToken);

    Task<Interview?> FindByNumberAsync(long memberId, int number, CancellationToken cancellationToken);

    /// <summary>The member's interviews by number; <paramref name="openOnly"/> keeps those still in play.</summary>
    Task<IReadOnlyList<Interview>> ListAsync(long memberId, bool openOnly, CancellationToken cancellationToken);

    /// <summary>Writes the interview's mutable fields (notes, outcome, follow-ups logged) and the nudge
    /// changes in one transaction.</summary>
    Task<NudgeChangeResult> UpdateAsync(Interview interview, NudgeChanges changes, CancellationToken cancellationToken);

    /// <summary>Removes the interview and its nudges; returns the removed nudges' ids.</summary>
    Task<IReadOnlyList<long>> DeleteAsync(long interviewId, CancellationToken cancellationToken);
}
