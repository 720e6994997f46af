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

/// <summary>The member's local frame: their zone, quiet hours and public holidays.</summary>
public sealed record PlanningContext(TimeZoneInfo Zone, QuietHours QuietHours, HolidayCalendar? Holidays = null)
{
    public HolidayCalendar Calendar => Holidays ?? HolidayCalendar.None;
}

public sealed record PlannedNudge(NudgeKind Kind, DateTimeOffset DueAt, string? Interviewer = null, int Sequence = 0)
{
    /// <summary>For a step counted back from a date (the evening before the next round): useless from this moment on.</summary>
    public DateTimeOffset? Before { get; init; }
}

/// <summary>A moment a member is already busy with a nudge: one of another interview, or one that just went out.
/// <see cref="SameInterview"/> nudges of the same kind may share it (the thank-yous of one interview).</summary>
public sealed record BusySlot(NudgeKind Kind, DateTimeOffset At, bool SameInterview);

/// <summary>
/// A plan made now: what should be pending, and what would have been planned but is too late to help (named to the
/// member rather than dropped silently).
/// </summary>
public sealed record PlanResult(IReadOnlyList<PlannedNudge> Planned, IReadOnlyList<PlannedNudge> TooLate);

/// <summary>
/// Pure planning: facts + playbook + the member's zone, quiet hours and holidays -> nudges with due times.
/// Plans in local wall-clock time (DST-correct), keeps quiet hours (except the debrief), puts employer-facing
/// steps on business days in business hours, and keeps nudges of different kinds apart. Every number comes from
/// the playbook. <see cref="Replan"/> is the one entry every change goes through; the others are views of it.
/// </summary>
public sealed class NudgePlanner(Playbook playbook)
{
    public Playbook Playbook => playbook;

    /// <summary>Everything that follows an interview recorded as it ends, assuming each step is done on time:
    /// debrief, thank-yous and reminders, card, references, hold-off, keep-searching, every follow-up, outcome check.</summary>
    public IReadOnlyList<PlannedNudge> PlanInterview(InterviewFacts facts, PlanningContext context) =>
        Replan(facts, InterviewHistory.None, context, facts.EndedAt, []).Planned;

    /// <summary>
    /// What should be pending for this interview if it were planned now, knowing what already happened: thank-yous
    /// marked sent (the follow-up counts from the last), follow-ups made (the next weekly one counts from the latest),
    /// the outcome. Steps already past are moved to now while their playbook lateness allows, otherwise listed as
    /// too late; nothing is planned that already happened. New nudges keep <see cref="Playbook.Spacing"/> from
    /// <paramref name="busy"/> and from each other.
    /// </summary>
    public PlanResult Replan(InterviewFacts facts, InterviewHistory history, PlanningContext context, DateTimeOffset now,
        IReadOnlyList<BusySlot> busy)
    {
        var interviewPass = new Plan(playbook, facts, context, history, thankYouSentAt: null, outcome: null, recordedAt: null);
        var raw = new List<(PlannedNudge Nudge, bool OfOutcome)>();
        // The interview's own steps, less those its outcome (if any) stopped; then what the outcome brings.
        raw.AddRange(playbook.Steps.Where(s => history.Outcome is not { } o || Survives(s.Kind, o))
            .SelectMany(interviewPass.NudgesOf).Select(n => (n, false)));
        if (history.Outcome is { } recorded && history.OutcomeAt is { } recordedAt)
        {
            // A round the process has moved past (its next round is recorded) no longer has a stage of its own.
            var outcomePass = new Plan(playbook, facts, context, history, thankYouSentAt: null, recorded, recordedAt);
            raw.AddRange(playbook.Steps.Where(s => !(history.LaterRoundRecorded && CountsFromStageDate(s.Kind)))
                .SelectMany(outcomePass.NudgesOf).Select(n => (n, true)));
        }

        // Nothing that happened is planned again; an outcome's own nudges only look at what came after the outcome.
        var fresh = raw.Where(p => !history.Past.Any(past =>
                past.Kind == p.Nudge.Kind && past.Interviewer == p.Nudge.Interviewer && past.Sequence == p.Nudge.Sequence &&
                (!p.OfOutcome || past.DueAt >= history.OutcomeAt)))
            .Select(p => p.Nudge).ToList();

        var tooLate = new List<PlannedNudge>();
        var onTime = new List<PlannedNudge>();
        foreach (var nudge in Sorted(fresh))
        {
            if (nudge.DueAt >= now) onTime.Add(nudge);
            else if (now - nudge.DueAt <= playbook.Step(nudge.Kind).MaxLateness)
                onTime.Add(nudge with { DueAt = NextAllowedTime(nudge.Kind, now, context) });
            else tooLate.Add(nudge);
        }
        // A reminder of a thank-you that is too late to send would ask about a note the member was never prompted for.
        var lateThanks = tooLate.Where(n => n.Kind == NudgeKind.ThankYou).Select(n => n.Interviewer).ToHashSet();
        tooLate.AddRange(onTime.Where(n => n.Kind == NudgeKind.ThankYouReminder && lateThanks.Contains(n.Interviewer)));
        onTime.RemoveAll(n => n.Kind == NudgeKind.ThankYouReminder && lateThanks.Contains(n.Interviewer));

        return new PlanResult(Placed(onTime, facts, history, context, busy), Sorted(tooLate));
    }

    /// <summary>Counted from a stage's own date (the next round, the offer deadline, the no-reply window): it ends with that stage.</summary>
    public bool CountsFromStageDate(NudgeKind kind) => playbook.Step(kind).Timing
        .Any(t => t.Anchor is PlanAnchor.NextRound or PlanAnchor.OfferDeadline or PlanAnchor.CloseAfterNoReply);

    /// <summary>
    /// Whether a pending nudge of this kind stays once <paramref name="outcome"/> is recorded for its round: the playbook
    /// says. An outcome that ends the round keeps only the steps marked as surviving one; one that keeps the process open
    /// (still deciding, next round, no reply yet) stops the steps that list it in cancelledBy (the chasing: the follow-ups
    /// and check-in, and the hold-off except while still deciding, when holding off is still the advice).
    /// </summary>
    public bool Survives(NudgeKind kind, Outcome outcome) => outcome.EndsTheRound()
        ? playbook.Step(kind).SurvivesOutcome
        : !playbook.Step(kind).CancelledBy.Contains(outcome);

    /// <summary>The follow-ups (and the outcome check after them) once the thank-you was sent at <paramref name="thankYouSentAt"/>.</summary>
    public IReadOnlyList<PlannedNudge> PlanFollowUps(InterviewFacts facts, DateTimeOffset thankYouSentAt, PlanningContext context)
    {
        var plan = new Plan(playbook, facts, context, InterviewHistory.None, thankYouSentAt, outcome: null, recordedAt: null);
        return Sorted(new[] { NudgeKind.FollowUp, NudgeKind.OutcomeCheck }.SelectMany(k => plan.NudgesOf(playbook.Step(k))));
    }

    /// <summary>What an outcome recorded at <paramref name="recordedAt"/> brings: feedback, offer details,
    /// reference thanks, or (waiting) another outcome check.</summary>
    public IReadOnlyList<PlannedNudge> PlanOutcome(InterviewFacts facts, Outcome outcome, DateTimeOffset recordedAt, PlanningContext context)
    {
        var plan = new Plan(playbook, facts, context, InterviewHistory.None, thankYouSentAt: null, outcome, recordedAt);
        return Sorted(playbook.Steps.SelectMany(plan.NudgesOf));
    }

    /// <summary>When following up stops being too soon: the later of T0 + 3 days and the day after the decision date.</summary>
    public DateTimeOffset FollowUpWindowOpensAt(InterviewFacts facts, PlanningContext context)
    {
        var plan = new Plan(playbook, facts, context, InterviewHistory.None, thankYouSentAt: null, outcome: null, recordedAt: null);
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

    /// <summary>A snoozed nudge's time, moved forward as needed to keep <see cref="Playbook.Spacing"/> from <paramref name="busy"/>.</summary>
    public DateTimeOffset KeepSpacing(NudgeKind kind, DateTimeOffset due, IReadOnlyList<BusySlot> busy, PlanningContext context) =>
        Spaced(playbook.Step(kind) with { QuietHoursApply = true }, due, busy, context);

    /// <summary>
    /// What turns the stored rows of one interview into <paramref name="planned"/>: waiting nudges moved to their new
    /// time, those no longer planned cancelled, the rest added. A snoozed nudge keeps its snooze unless the plan
    /// puts it later; one already due at <paramref name="now"/> is left to its trigger (the deliverer handles lateness).
    /// </summary>
    public PlanDiff Diff(IReadOnlyList<PlannedNudge> planned, IReadOnlyList<Nudge> rows, PlanningContext context, DateTimeOffset now)
    {
        var waiting = rows.Where(n => n.IsScheduled).OrderBy(n => n.Id).ToList();
        var add = new List<PlannedNudge>();
        var moves = new List<NudgeMove>();
        foreach (var nudge in planned)
        {
            var row = waiting.FirstOrDefault(n => n.Kind == nudge.Kind && n.Interviewer == nudge.Interviewer && n.Sequence == nudge.Sequence);
            if (row is null)
            {
                add.Add(nudge);
                continue;
            }
            waiting.Remove(row);
            if (row.DueAt <= now) continue;
            var due = nudge.DueAt;
            if (row.State == NudgeState.Snoozed && SnoozedUntil(row.Kind, row.DueAt, context) is var snoozed && snoozed > due) due = snoozed;
            if (due != row.DueAt) moves.Add(new NudgeMove(row, due));
        }
        return new PlanDiff(add, moves, waiting);
    }

    private static IReadOnlyList<PlannedNudge> Sorted(IEnumerable<PlannedNudge> nudges) =>
        nudges.Select((n, i) => (n, i)).OrderBy(p => p.n.DueAt).ThenBy(p => p.i).Select(p => p.n).ToList();

    /// <summary>
    /// Final placement, in time order: each nudge keeps its "not before the thank-you" spacing from where that
    /// thank-you ended up, then moves (forward only, to an allowed time) until it is <see cref="Playbook.Spacing"/>
    /// away from every busy moment of another kind or interview; one that then falls past its "only before" bound
    /// is left out. A step that ignores quiet hours (the debrief) neither moves nor counts: it is the answer to the
    /// member's own /interview done, read at the keyboard, not a nudge that finds them later.
    /// </summary>
    private IReadOnlyList<PlannedNudge> Placed(IReadOnlyList<PlannedNudge> nudges, InterviewFacts facts, InterviewHistory history,
        PlanningContext context, IReadOnlyList<BusySlot> busy)
    {
        var bounds = new Plan(playbook, facts, context, history, thankYouSentAt: null, outcome: null, recordedAt: null);
        var taken = busy.ToList();
        var placed = new List<PlannedNudge>();
        foreach (var nudge in Sorted(nudges))
        {
            var step = playbook.Step(nudge.Kind);
            var due = nudge.DueAt;
            foreach (var bound in step.NotBefore.Where(b => b.Anchor == PlanAnchor.ThankYou && b.At is null))
            {
                var thankYou = placed.FirstOrDefault(p => p.Kind == NudgeKind.ThankYou && p.Interviewer == nudge.Interviewer)?.DueAt
                               ?? (nudge.Interviewer is { } i && history.ThanksDelivered.TryGetValue(i, out var delivered) ? delivered : null);
                if (thankYou + bound.Delay.ToTimeSpan() is { } floor && floor > due) due = NextAllowedTime(nudge.Kind, floor, context);
            }
            if (step.QuietHoursApply) due = Spaced(step, due, taken, context);
            if (step.OnlyBefore.Any(b => bounds.Bound(b, nudge.Interviewer) is { } limit && due >= limit)) continue;
            if (nudge.Before is { } before && due >= before) continue;
            placed.Add(nudge with { DueAt = due });
            if (step.QuietHoursApply) taken.Add(new BusySlot(nudge.Kind, due, SameInterview: true));
        }
        return Sorted(placed);
    }

    private DateTimeOffset Spaced(PlaybookStep step, DateTimeOffset due, IReadOnlyList<BusySlot> taken, PlanningContext context)
    {
        var spacing = playbook.Spacing;
        if (spacing <= TimeSpan.Zero) return due;
        // Each round moves past one clash; quiet and business hours may land it next to another, so a few rounds.
        for (var round = 0; round < 64; round++)
        {
            var clash = taken.Where(t => !(t.SameInterview && t.Kind == step.Kind) && playbook.Step(t.Kind).QuietHoursApply &&
                                         (t.At - due).Duration() < spacing)
                .Select(t => (DateTimeOffset?)t.At).Max();
            if (clash is not { } at) return due;
            due = DeliveryHours.NextAllowed(step, playbook.BusinessHours, at + spacing, context);
        }
        return due;
    }

/// <summary>One planning pass: resolves anchors (memoised) for one interview and one situation.</summary>
    private sealed class Plan(
        Playbook playbook, InterviewFacts facts, PlanningContext context, InterviewHistory history,
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
                // Per-interviewer steps are the thank-you and its reminder: both end once that thank-you is closed.
                foreach (var interviewer in facts.Interviewers.Distinct(StringComparer.Ordinal))
                    if (!history.ThankYouClosed(interviewer) && FirstDue(step, interviewer) is { } due)
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
            var made = outcome is null ? history.FollowUpsMade : 0;
            // Each repeat counts from the previous one actually made (logged late, it moves the rest), at the first's time of day.
            var (from, start) = made > 0 && history.LastFollowUpAt is { } last ? (last, made + 1) : (first, 1);
            var fromLocal = ZonedClock.ToLocal(from, Zone);
            var timeOfDay = TimeOnly.FromDateTime(ZonedClock.ToLocal(first, Zone));
            for (var n = start; n <= total; n++)
            {
                var days = (n - (start == 1 ? 1 : made)) * repeat.Every.Days;
                var local = DateOnly.FromDateTime(fromLocal).AddDays(days).ToDateTime(timeOfDay);
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
                var date = playbook.BusinessHours.AddBusinessDays(DateOnly.FromDateTime(ZonedClock.ToLocal(anchor, Zone)), businessDays, context.Calendar);
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
            PlanAnchor.ThankYou => thankYouSentAt ?? ThankYouAt(interviewer),
            PlanAnchor.FirstFollowUp => history.FirstFollowUpAt ?? FirstDue(playbook.Step(NudgeKind.FollowUp), null),
            PlanAnchor.OutcomeRecorded => recordedAt,
            PlanAnchor.NextRound => facts.NextRoundAt,
            PlanAnchor.OfferDeadline => facts.OfferDeadline is { } day ? ZonedClock.ToInstant(day.ToDateTime(TimeOnly.MinValue), Zone) : null,
            PlanAnchor.CloseAfterNoReply => recordedAt is { } at ? Shift(at, playbook.CloseAfterNoReply, null) : null,
            _ => null,
        };

        /// <summary>
        /// That interviewer's thank-you: when it was marked sent, when it went out, or when it is planned. For steps about
        /// the whole interview: once every thank-you is closed and one was sent, the last one sent (R4: a week after the
        /// thank-you); until then the earliest planned, assuming each is sent on time.
        /// </summary>
        private DateTimeOffset? ThankYouAt(string? interviewer)
        {
            if (interviewer is not null)
                return history.ThanksSent.TryGetValue(interviewer, out var sent) ? sent
                    : history.ThanksDelivered.TryGetValue(interviewer, out var delivered) ? delivered
                    : FirstDue(playbook.Step(NudgeKind.ThankYou), interviewer);
            if (facts.Interviewers.Count == 0) return FirstDue(playbook.Step(NudgeKind.ThankYou), null);
            if (facts.Interviewers.All(history.ThankYouClosed) && facts.Interviewers.Any(history.ThanksSent.ContainsKey))
                return facts.Interviewers.Where(history.ThanksSent.ContainsKey).Max(i => history.ThanksSent[i]);
            return facts.Interviewers.Select(i => FirstDue(playbook.Step(NudgeKind.ThankYou), i)).Min();
        }

        private DateTimeOffset Allowed(PlaybookStep step, DateTimeOffset at) =>
            DeliveryHours.NextAllowed(step, playbook.BusinessHours, at, context);
    }
}

/// <summary>A waiting nudge the plan moves to <see cref="To"/>.</summary>
public sealed record NudgeMove(Nudge Nudge, DateTimeOffset To);

/// <summary>What a re-plan changes in one interview's rows: nudges to add, waiting ones to move or to cancel.</summary>
public sealed record PlanDiff(IReadOnlyList<PlannedNudge> Add, IReadOnlyList<NudgeMove> Move, IReadOnlyList<Nudge> Cancel);
