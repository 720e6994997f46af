namespace FollowUpBot.Core.Domain;

/// <summary>The kinds of nudge; the wire/storage names are the snake_case ones in <see cref="NudgeKinds"/>. What a kind does
/// (when, its wording, buttons, summary, whether an outcome cancels it) is its playbook step; a few kinds also carry
/// behaviour of their own in the engine (thank-yous, follow-ups, the debrief's notes).</summary>
public enum NudgeKind
{
    Debrief,
    ThankYou,
    ThankYouReminder,
    MailCard,
    BriefReferences,
    HoldOff,
    KeepSearching,
    FollowUp,
    OutcomeCheck,
    AskFeedback,
    RecordOffer,
    ThankReferences,
    PrepareRound,
    LetItRest,
    OfferDeadline,
}

public enum NudgeState { Pending, Snoozed, Sending, Sent, Done, Skipped, Cancelled, Failed }

/// <summary>
/// A planned direct message. The nudge rows are the truth the scheduler follows.
/// <see cref="Sequence"/> numbers repeated steps (follow-up 1..5), 0 otherwise.
/// <see cref="Deliveries"/> counts successful sends (a snoozed nudge is sent again), so that
/// <see cref="DeliveryKey"/> is stable across retries of one send and new for a deliberate resend.
/// <see cref="MarkedAt"/> is when the member marked it done or skipped (a thank-you sent late moves what counts from it).
/// <see cref="PossibleRepeat"/>: an earlier send's fate is unknown (it failed mid-way), so the next one may reach the member
/// twice and the platform is told to check first.
/// </summary>
public sealed record Nudge(
    long Id,
    long InterviewId,
    long MemberId,
    NudgeKind Kind,
    DateTimeOffset DueAt,
    string? Interviewer,
    int Sequence,
    NudgeState State,
    int Attempts = 0,
    int Deliveries = 0,
    DateTimeOffset? ClaimedAt = null,
    DateTimeOffset? SentAt = null,
    string? LastError = null,
    DateTimeOffset? MarkedAt = null,
    bool PossibleRepeat = false)
{
    /// <summary>The key the next send carries, and under which storage records it (unique: a send is recorded once).</summary>
    public string DeliveryKey => DeliveryKeyOf(Id, Deliveries + 1);

    /// <summary>The key of the <paramref name="delivery"/>-th delivery (from 1) of nudge <paramref name="nudgeId"/>.</summary>
    public static string DeliveryKeyOf(long nudgeId, int delivery) => $"n{nudgeId}d{delivery}";

    /// <summary>Waiting for its trigger: these are the states that own exactly one scheduler trigger.</summary>
    public bool IsScheduled => State is NudgeState.Pending or NudgeState.Snoozed;
}

public static class NudgeKinds
{
    /// <summary>Each kind's snake_case name ("ThankYouReminder" is "thank_you_reminder"), derived so that a new kind is one
    /// enum value plus its playbook step. The names are stored in the database and the playbook: renaming a kind is a
    /// migration.</summary>
    private static readonly Dictionary<NudgeKind, string> Names =
        Enum.GetValues<NudgeKind>().ToDictionary(k => k, k => SnakeCase(k.ToString()));

    private static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static readonly Dictionary<string, NudgeKind> ByName =
        Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string Name(this NudgeKind kind) => Names[kind];

    public static bool TryParse(string? name, out NudgeKind kind) => ByName.TryGetValue(name ?? "", out kind);

    public static IReadOnlyCollection<string> AllNames => Names.Values;
}

public static class NudgeStates
{
    public static string Name(this NudgeState state) => state.ToString().ToLowerInvariant();

    public static NudgeState Parse(string name) => Enum.Parse<NudgeState>(name, ignoreCase: true);
}
