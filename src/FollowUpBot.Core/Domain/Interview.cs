namespace FollowUpBot.Core.Domain;

public enum InterviewFormat { Phone, Video, Onsite }

public enum Outcome { Offer, Rejected, Withdrawn, Waiting }

/// <summary>
/// One interview a member reported. <see cref="Number"/> is the member's own short number (#1, #2, ...);
/// <see cref="Id"/> and <see cref="Number"/> are 0 until stored.
/// </summary>
public sealed record Interview(
    long Id,
    long MemberId,
    int Number,
    string Company,
    string? Role,
    IReadOnlyList<string> Interviewers,
    InterviewFormat Format,
    DateTimeOffset EndedAt,
    DateOnly? DecisionDate,
    bool FollowUpInvited,
    IReadOnlyList<string> References,
    string? Notes,
    DateTimeOffset CreatedAt,
    Outcome? Outcome = null,
    DateTimeOffset? OutcomeAt = null,
    int FollowUpsLogged = 0,
    DateTimeOffset? LastFollowUpAt = null)
{
    /// <summary>Still in play: no outcome yet, or the employer replied that they are still deciding.</summary>
    public bool IsOpen => Outcome is null or Domain.Outcome.Waiting;
}
