using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Planning;

/// <summary>What the planner needs to know of an interview.</summary>
public sealed record InterviewFacts(
    DateTimeOffset EndedAt,
    InterviewFormat Format,
    IReadOnlyList<string> Interviewers,
    DateOnly? DecisionDate,
    bool FollowUpInvited,
    IReadOnlyList<string> References)
{
    public static InterviewFacts From(Interview interview) => new(
        interview.EndedAt, interview.Format, interview.Interviewers, interview.DecisionDate,
        interview.FollowUpInvited, interview.References)
    {
        NextRoundAt = interview.NextRoundAt,
        OfferDeadline = interview.OfferDeadline,
    };

    /// <summary>When the next round takes place, if the member said (anchor next_round).</summary>
    public DateTimeOffset? NextRoundAt { get; init; }

    /// <summary>The day the employer wants an answer to their offer by, if the member said (anchor offer_deadline).</summary>
    public DateOnly? OfferDeadline { get; init; }

    public bool Holds(PlanCondition condition) => condition switch
    {
        PlanCondition.FormatPhone => Format == InterviewFormat.Phone,
        PlanCondition.FormatVideo => Format == InterviewFormat.Video,
        PlanCondition.FormatOnsite => Format == InterviewFormat.Onsite,
        PlanCondition.ReferencesNamed => References.Count > 0,
        PlanCondition.NoReferences => References.Count == 0,
        PlanCondition.DecisionDateGiven => DecisionDate is not null,
        PlanCondition.NoDecisionDate => DecisionDate is null,
        PlanCondition.FollowUpInvited => FollowUpInvited,
        PlanCondition.FollowUpNotInvited => !FollowUpInvited,
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, null),
    };

    public bool HoldsAll(IEnumerable<PlanCondition> conditions) => conditions.All(Holds);
}

/// <summary>The member's local frame: their zone and quiet hours.</summary>
public sealed record PlanningContext(TimeZoneInfo Zone, QuietHours QuietHours);

public sealed record PlannedNudge(NudgeKind Kind, DateTimeOffset DueAt, string? Interviewer = null, int Sequence = 0)
{
    /// <summary>For a step counted back from a date (the evening before the next round): useless from this moment on.</summary>
    public DateTimeOffset? Before { get; init; }
}

/// <summary>
/// Pure planning: facts + playbook + the member's zone and quiet hours -> nudges with due times.
/// Plans in local wall-clock time (DST-correct), keeps quiet hours (except the debrief) and puts
/// employer-facing steps on business days in business hours. Every number comes from the playbook.
/// </summary>
public sealed class NudgePlanner(Playbook playbook)
{
    public Playbook Playbook => playbook;

    /// <summary>Everything that follows an interview, assuming each step is done on time:
    /// debrief, thank-yous and reminders, card, references, hold-off, keep-searching, every follow-up, outcome check.</summary>
    public IReadOnlyList<PlannedNudge> PlanInterview(InterviewFacts facts, PlanningContext context)
    {
        var plan = new Plan(playbook, facts, context, thankYouSentAt: null, outcome: null, recordedAt: null);
        return Sorted(playbook.Steps.SelectMany(plan.NudgesOf));
    }

    /// <summary>The follow-ups (and the outcome check after them) once the thank-you was sent at <paramref name="thankYouSentAt"/>.</summary>
    public IReadOnlyList<PlannedNudge> PlanFollowUps(InterviewFacts facts, DateTimeOffset thankYouSentAt, PlanningContext context)
    {
        var plan = new Plan(playbook, facts, context, thankYouSentAt, outcome: null, recordedAt: null);
        return Sorted(new[] { NudgeKind.FollowUp, NudgeKind.OutcomeCheck }.SelectMany(k => plan.NudgesOf(playbook.Step(k))));
    }

    /// <summary>What an outcome recorded at <paramref name="recordedAt"/> brings: feedback, offer details,
    /// reference thanks, or (waiting) another outcome check.</summary>
    public IReadOnlyList<PlannedNudge> PlanOutcome(InterviewFacts facts, Outcome outcome, DateTimeOffset recordedAt, PlanningContext context)
    {
        var plan = new Plan(playbook, facts, context, thankYouSentAt: null, outcome, recordedAt);
        return Sorted(playbook.Steps.SelectMany(plan.NudgesOf));
    }

    /// <summary>When following up stops being too soon: the later of T0 + 3 days and the day after the decision date.</summary>
    public DateTimeOffset FollowUpWindowOpensAt(InterviewFacts facts, PlanningContext context)
    {
        var plan = new Plan(playbook, facts, context, thankYouSentAt: null, outcome: null, recordedAt: null);
        var opens = ZonedClock.InZone(facts.EndedAt, context.Zone);
        foreach (var bound in playbook.Step(NudgeKind.FollowUp).WindowOpens)
            if (plan.Bound(bound, interviewer: null) is { } at && at > opens) opens = at;
        return opens;
    }

    /// <summary>The next allowed delivery time at or after <paramref name="proposed"/> for this kind
    /// (quiet hours; business hours for employer-facing steps). Used for snoozes and late deliveries.</summary>
    public DateTimeOffset NextAllowedTime(NudgeKind kind, DateTimeOffset proposed, PlanningContext context) =>
        DeliveryHours.NextAllowed(playbook.Step(kind), playbook.BusinessHours, proposed, context);

    /// <summary>
    /// When a nudge snoozed until <paramref name="proposed"/> may come back. Quiet hours hold for every kind here,
    /// the debrief included: it skips them only at T0, when the member is at the keyboard, not a day later.
    /// </summary>
    public DateTimeOffset SnoozedUntil(NudgeKind kind, DateTimeOffset proposed, PlanningContext context) =>
        DeliveryHours.NextAllowed(playbook.Step(kind) with { QuietHoursApply = true }, playbook.BusinessHours, proposed, context);

    private static IReadOnlyList<PlannedNudge> Sorted(IEnumerable<PlannedNudge> nudges) =>
        nudges.Select((n, i) => (n, i)).OrderBy(p => p.n.DueAt).ThenBy(p => p.i).Select(p => p.n).ToList();

    /// <summary>One planning pass: resolves anchors (memoised) for one interview and one situation.</summary>
    private sealed class Plan(
        Playbook playbook, InterviewFacts facts, PlanningContext context,
        DateTimeOffset? thankYouSentAt, Outcome? outcome, DateTimeOffset? recordedAt)
    {
        private readonly Dictionary<(NudgeKind, string?), DateTimeOffset?> _firstDue = [];
        private readonly Dictionary<(NudgeKind, string?), DateTimeOffset> _before = [];

        private TimeZoneInfo Zone => context.Zone;

        public IEnumerable<PlannedNudge> NudgesOf(PlaybookStep step)
        {
            if (!facts.HoldsAll(step.When)) yield break;
            if (step.OnePer == StepScope.Interviewer)
            {
                foreach (var interviewer in facts.Interviewers.Distinct(StringComparer.Ordinal))
                    if (FirstDue(step, interviewer) is { } due)
                        yield return new PlannedNudge(step.Kind, due, interviewer);
                yield break;
            }
            if (FirstDue(step, null) is not { } first) yield break;
            if (step.Repeat is not { } repeat)
            {
                yield return new PlannedNudge(step.Kind, first) { Before = _before.TryGetValue((step.Kind, null), out var before) ? before : null };
                yield break;
            }
            var total = facts.HoldsAll(repeat.When) ? repeat.Total : 1;
            var firstLocal = ZonedClock.ToLocal(first, Zone);
            for (var n = 1; n <= total; n++)
            {
                var local = firstLocal.AddDays((n - 1) * repeat.Every.Days);
                var due = n == 1 ? first : Allowed(step, ZonedClock.ToInstant(local, Zone));
                yield return new PlannedNudge(step.Kind, due, Sequence: n);
            }
        }

        /// <summary>The due time of a step's first nudge in this situation, or null when the step does not apply.</summary>
        private DateTimeOffset? FirstDue(PlaybookStep step, string? interviewer)
        {
            var key = (step.Kind, interviewer);
            if (_firstDue.TryGetValue(key, out var known)) return known;
            DateTimeOffset? due = null;
            foreach (var timing in step.Timing)
            {
                if (!Applies(timing) || !facts.HoldsAll(timing.When)) continue;
                if (Timed(timing, interviewer) is not { } at) continue;
                foreach (var bound in step.NotBefore)
                    if (Bound(bound, interviewer) is { } floor && floor > at) at = floor;
                due = Allowed(step, at);
                // Counted back from a date (the evening before a round): pushed onto or past that date, it helps nobody.
                if (timing.Delay.IsNegative && Anchor(timing.Anchor, interviewer) is { } until)
                {
                    _before[key] = until;
                    if (due >= until) due = null;
                }
                break;
            }
            _firstDue[key] = due;
            return due;
        }

        /// <summary>Interview planning uses the interview's anchors; outcome planning only outcome-anchored timings.</summary>
        private bool Applies(StepTiming timing) => outcome is { } recorded
            ? timing.Anchor.CountsFromOutcome() && timing.Outcomes.Contains(recorded)
            : !timing.Anchor.CountsFromOutcome();

        private DateTimeOffset? Timed(StepTiming timing, string? interviewer)
        {
            if (Anchor(timing.Anchor, interviewer) is not { } anchor) return null;
            if (timing.BusinessDays is { } businessDays)
            {
                var date = playbook.BusinessHours.AddBusinessDays(DateOnly.FromDateTime(ZonedClock.ToLocal(anchor, Zone)), businessDays);
                return ZonedClock.ToInstant(date.ToDateTime(timing.At ?? TimeOnly.MinValue), Zone);
            }
            return Shift(anchor, timing.Delay, timing.At);
        }

        public DateTimeOffset? Bound(TimeBound bound, string? interviewer) =>
            Anchor(bound.Anchor, interviewer) is { } anchor ? Shift(anchor, bound.Delay, bound.At) : null;

        /// <summary>Calendar days in local wall-clock time (so 12:00 stays 12:00 across DST), then elapsed time.</summary>
        private DateTimeOffset Shift(DateTimeOffset anchor, PlaybookDuration delay, TimeOnly? at)
        {
            var local = ZonedClock.ToLocal(anchor, Zone);
            if (at is { } time) return ZonedClock.ToInstant(DateOnly.FromDateTime(local).AddDays(delay.Days).ToDateTime(time), Zone);
            var shifted = delay.Days == 0 ? anchor : ZonedClock.ToInstant(local.AddDays(delay.Days), Zone);
            return ZonedClock.InZone(shifted + delay.Time, Zone);
        }

        private DateTimeOffset? Anchor(PlanAnchor anchor, string? interviewer) => anchor switch
        {
            PlanAnchor.InterviewEnd => facts.EndedAt,
            PlanAnchor.DecisionDate => facts.DecisionDate is { } date ? ZonedClock.ToInstant(date.ToDateTime(TimeOnly.MinValue), Zone) : null,
            PlanAnchor.ThankYou => thankYouSentAt ?? ThankYouDue(interviewer),
            PlanAnchor.FirstFollowUp => FirstDue(playbook.Step(NudgeKind.FollowUp), null),
            PlanAnchor.OutcomeRecorded => recordedAt,
            PlanAnchor.NextRound => facts.NextRoundAt,
            PlanAnchor.OfferDeadline => facts.OfferDeadline is { } day ? ZonedClock.ToInstant(day.ToDateTime(TimeOnly.MinValue), Zone) : null,
            PlanAnchor.CloseAfterNoReply => recordedAt is { } at ? Shift(at, playbook.CloseAfterNoReply, null) : null,
            _ => null,
        };

        /// <summary>That interviewer's thank-you, or (for steps about the whole interview) the earliest one.</summary>
        private DateTimeOffset? ThankYouDue(string? interviewer)
        {
            var step = playbook.Step(NudgeKind.ThankYou);
            if (interviewer is not null || facts.Interviewers.Count == 0) return FirstDue(step, interviewer);
            return facts.Interviewers.Select(i => FirstDue(step, i)).Min();
        }

        private DateTimeOffset Allowed(PlaybookStep step, DateTimeOffset at) =>
            DeliveryHours.NextAllowed(step, playbook.BusinessHours, at, context);
    }
}
