using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Planning;

/// <summary>A nudge that already happened (reached the member, or was marked by them): it is not planned again.</summary>
public sealed record PastNudge(NudgeKind Kind, string? Interviewer, int Sequence, DateTimeOffset DueAt);

/// <summary>
/// What already happened to one interview, as re-planning needs it: thank-yous marked sent or skipped (and when),
/// follow-ups made (logged or delivered, and when), the outcome, and every nudge that went out. Read from the
/// interview and its nudge rows by <see cref="From"/>; <see cref="None"/> is a freshly recorded interview.
/// </summary>
public sealed record InterviewHistory
{
    public static InterviewHistory None { get; } = new();

    /// <summary>When the member marked each interviewer's thank-you sent (Done on it or on its reminder).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ThanksSent { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>Interviewers whose thank-you the member closed without sending (Skip).</summary>
    public IReadOnlySet<string> ThanksSkipped { get; init; } = new HashSet<string>();

    /// <summary>When each interviewer's thank-you nudge reached the member, while not yet marked.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ThanksDelivered { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>Follow-ups made so far: the more of those logged and those whose nudge went out.</summary>
    public int FollowUpsMade { get; init; }

    /// <summary>When the first and the latest follow-up were made (logged, marked, or delivered).</summary>
    public DateTimeOffset? FirstFollowUpAt { get; init; }

    public DateTimeOffset? LastFollowUpAt { get; init; }

    public Outcome? Outcome { get; init; }

    public DateTimeOffset? OutcomeAt { get; init; }

    /// <summary>The process went on to a later round, recorded: this round's stage (its next round) is over.</summary>
    public bool LaterRoundRecorded { get; init; }

    /// <summary>Nudges that went out, were marked, or failed for good: never planned twice.</summary>
    public IReadOnlyList<PastNudge> Past { get; init; } = [];

    /// <summary>The member has closed this interviewer's thank-you, sent or not.</summary>
    public bool ThankYouClosed(string interviewer) => ThanksSent.ContainsKey(interviewer) || ThanksSkipped.Contains(interviewer);

    /// <summary>
    /// Happened: it reached the member or was marked by them, or failed for good. A nudge skipped by the bot because
    /// it came too late never happened, so a later re-plan (an earlier end time, say) may bring it back.
    /// </summary>
    public static bool Happened(Nudge nudge) => nudge.State switch
    {
        NudgeState.Sending or NudgeState.Sent or NudgeState.Done or NudgeState.Failed => true,
        NudgeState.Skipped => nudge.Deliveries > 0 || nudge.MarkedAt is not null,
        _ => false,
    };

    public static InterviewHistory From(Interview interview, IEnumerable<Nudge> nudges)
    {
        var happened = nudges.Where(Happened).ToList();
        var thanks = happened.Where(n => n.Kind == NudgeKind.ThankYou && n.Interviewer is not null).ToList();
        var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var delivered = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var thankYou in thanks.OrderBy(n => n.MarkedAt ?? n.SentAt ?? n.DueAt))
        {
            var name = thankYou.Interviewer!;
            switch (thankYou.State)
            {
                case NudgeState.Done:
                    sent[name] = thankYou.MarkedAt ?? thankYou.SentAt ?? thankYou.DueAt;
                    break;
                case NudgeState.Skipped:
                    skipped.Add(name);
                    break;
                case NudgeState.Sent or NudgeState.Sending when thankYou.SentAt is { } at:
                    delivered[name] = at;
                    break;
            }
        }

        // A follow-up was made when its nudge went out or was marked; Failed ones never reached the member.
        var made = happened.Where(n => n.Kind == NudgeKind.FollowUp && n.State != NudgeState.Failed).ToList();
        var madeTimes = made.Select(n => n.MarkedAt ?? n.SentAt ?? n.DueAt).ToList();
        if (interview.LastFollowUpAt is { } logged) madeTimes.Add(logged);
        var firstTimes = made.Where(n => n.Sequence <= 1).Select(n => n.SentAt ?? n.MarkedAt ?? n.DueAt).ToList();
        if (interview.FollowUpsLogged == 1 && interview.LastFollowUpAt is { } only) firstTimes.Add(only);

        return new InterviewHistory
        {
            ThanksSent = sent,
            ThanksSkipped = skipped,
            ThanksDelivered = delivered,
            FollowUpsMade = Math.Max(interview.FollowUpsLogged, made.Select(n => Math.Max(n.Sequence, 1)).DefaultIfEmpty(0).Max()),
            FirstFollowUpAt = firstTimes.Count == 0 ? null : firstTimes.Min(),
            LastFollowUpAt = madeTimes.Count == 0 ? null : madeTimes.Max(),
            Outcome = interview.Outcome,
            OutcomeAt = interview.OutcomeAt,
            Past = happened.Select(n => new PastNudge(n.Kind, n.Interviewer, n.Sequence, n.DueAt)).ToList(),
        };
    }
}
