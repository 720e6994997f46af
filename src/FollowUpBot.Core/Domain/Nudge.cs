namespace FollowUpBot.Core.Domain;

/// <summary>The kinds of nudge; the wire/storage names are the snake_case ones in <see cref="NudgeKinds"/>.</summary>
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
    string? LastError = null)
{
    public string DeliveryKey => $"n{Id}d{Deliveries + 1}";

    /// <summary>Waiting for its trigger: these are the states that own exactly one scheduler trigger.</summary>
    public bool IsScheduled => State is NudgeState.Pending or NudgeState.Snoozed;
}

public static class NudgeKinds
{
    private static readonly Dictionary<NudgeKind, string> Names = new()
    {
        [NudgeKind.Debrief] = "debrief",
        [NudgeKind.ThankYou] = "thank_you",
        [NudgeKind.ThankYouReminder] = "thank_you_reminder",
        [NudgeKind.MailCard] = "mail_card",
        [NudgeKind.BriefReferences] = "brief_references",
        [NudgeKind.HoldOff] = "hold_off",
        [NudgeKind.KeepSearching] = "keep_searching",
        [NudgeKind.FollowUp] = "follow_up",
        [NudgeKind.OutcomeCheck] = "outcome_check",
        [NudgeKind.AskFeedback] = "ask_feedback",
        [NudgeKind.RecordOffer] = "record_offer",
        [NudgeKind.ThankReferences] = "thank_references",
        [NudgeKind.PrepareRound] = "prepare_round",
        [NudgeKind.LetItRest] = "let_it_rest",
        [NudgeKind.OfferDeadline] = "offer_deadline",
    };

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
