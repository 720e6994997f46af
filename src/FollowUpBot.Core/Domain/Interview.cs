namespace FollowUpBot.Core.Domain;

public enum InterviewFormat { Phone, Video, Onsite }

/// <summary>
/// What the member recorded after a round. The first four are the original outcomes; <see cref="NextRound"/>,
/// <see cref="NoReply"/> (silence after the follow-up) and <see cref="Offer"/> keep the process open, the others
/// close it. Stored and typed by their snake_case names (<see cref="Outcomes"/>).
/// </summary>
public enum Outcome { Offer, Rejected, Withdrawn, Waiting, NextRound, NoReply, Accepted, ClosedNoReply }

/// <summary>A question <c>/interview done</c> can leave unasked when the command carried only the required options.</summary>
public enum DetailQuestion { DecisionDate, FollowUpInvited, References }

/// <summary>
/// One interview a member reported: one round of a process (<see cref="ProcessId"/>, <see cref="Round"/>).
/// <see cref="Number"/> is the member's own short number (#1, #2, ...); <see cref="Id"/> and <see cref="Number"/>
/// are 0 until stored, and so is <see cref="ProcessId"/> for the first round of a new process (it becomes its own id).
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
    /// <summary>The process this round belongs to: the id of its first round.</summary>
    public long ProcessId { get; init; }

    /// <summary>1 for a first interview, 2 for the next round of the same process, ...</summary>
    public int Round { get; init; } = 1;

    /// <summary>When the next round takes place, once the member said (with the next-round outcome).</summary>
    public DateTimeOffset? NextRoundAt { get; init; }

    /// <summary>The day the employer wants an answer to their offer by, once the member said.</summary>
    public DateOnly? OfferDeadline { get; init; }

    /// <summary>
    /// When each logged follow-up was logged, oldest first (<see cref="FollowUpsLogged"/> of them for follow-ups logged
    /// since migration 0007; earlier rounds know only their <see cref="LastFollowUpAt"/>). Coaches' weekly trends count them.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> FollowUpTimes { get; init; } = [];

    /// <summary>Questions a one-line <c>/interview done</c> skipped and the member has not answered yet.</summary>
    public IReadOnlyList<DetailQuestion> OpenQuestions { get; init; } = [];

    /// <summary>Where this round leaves its process.</summary>
    public ProcessStage Stage => ProcessStages.Of(Outcome);

    /// <summary>Still in play: this round's outcome (if any) does not close its process.</summary>
    public bool IsOpen => !Stage.IsClosed();
}

public static class Outcomes
{
    private static readonly Dictionary<Outcome, string> Names = new()
    {
        [Domain.Outcome.Offer] = "offer",
        [Domain.Outcome.Rejected] = "rejected",
        [Domain.Outcome.Withdrawn] = "withdrawn",
        [Domain.Outcome.Waiting] = "waiting",
        [Domain.Outcome.NextRound] = "next_round",
        [Domain.Outcome.NoReply] = "no_reply",
        [Domain.Outcome.Accepted] = "accepted",
        [Domain.Outcome.ClosedNoReply] = "closed_no_reply",
    };

    private static readonly Dictionary<string, Outcome> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The stored and wire name: "offer", "next_round", "closed_no_reply".</summary>
    public static string Name(this Outcome outcome) => Names[outcome];

    /// <summary>Exactly a stored name.</summary>
    public static bool TryParse(string? name, out Outcome outcome) => ByName.TryGetValue(name ?? "", out outcome);

    public static Outcome Parse(string name) =>
        TryParse(name, out var outcome) ? outcome : throw new FormatException($"'{name}' is not an outcome.");

    public static IReadOnlyCollection<string> AllNames => Names.Values;

    /// <summary>
    /// Ends this round's own steps (follow-ups, check-ins, thank-yous still waiting): an offer or a closing outcome.
    /// Steps that survive an outcome (the playbook says which) are not affected.
    /// </summary>
    public static bool EndsTheRound(this Outcome outcome) =>
        outcome is Outcome.Offer or Outcome.Rejected or Outcome.Withdrawn or Outcome.Accepted or Outcome.ClosedNoReply;
}
