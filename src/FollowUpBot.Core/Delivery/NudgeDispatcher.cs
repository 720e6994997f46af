using FollowUpBot.Core.Transport;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Observability;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Core.Delivery;

public enum DispatchOutcome { NotClaimable, Delivered, Skipped, Retrying, Failed, Deferred, Cancelled }

/// <summary>
/// Delivers one due nudge: claims it in the database (pending -> sending), drops it if moot or too late,
/// defers it out of quiet hours, composes it, hands it to the member's platform and records the result.
/// The claim is what makes a double fire, a misfire replay or a recovered job harmless: only one caller
/// ever holds a nudge in sending.
/// </summary>
public sealed partial class NudgeDispatcher(
    INudgeRepository nudges,
    IInterviewRepository interviews,
    IMemberRepository members,
    INudgeScheduler scheduler,
    ChatPlatformDirectory platforms,
    NudgePlanner planner,
    NudgeComposer composer,
    IOptions<DeliveryOptions> options,
    IOptions<BotOptions> bot,
    TimeProvider time,
    ILogger<NudgeDispatcher> logger,
    BotMetrics? metrics = null)
{
    /// <summary>Said in last_error (for people) when a send's fate is unknown; the flag that acts on it is
    /// <see cref="Nudge.PossibleRepeat"/>.</summary>
    internal const string PossibleRepeatNote = "may already have reached the member";

    private DeliveryOptions Options => options.Value;

    /// <summary>
    /// How far ahead of its due time a nudge may be claimed. A trigger fires at most this early (Quartz's fire-ahead
    /// window is at most 5 s); one firing earlier belongs to a nudge moved later since, whose rows are the truth.
    /// </summary>
    public static readonly TimeSpan EarlyFireTolerance = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Claims and delivers the nudge whose trigger fired, and with it up to <see cref="DeliveryOptions.ClaimBatchSize"/>
    /// - 1 other nudges due by now (one claim for the group, one record of their deliveries); a nudge that is not pending
    /// or snoozed any more, or not due yet, is left alone. Returns the outcome for <paramref name="nudgeId"/> itself.
    /// </summary>
    public async Task<DispatchOutcome> DispatchAsync(long nudgeId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = await nudges.TryClaimDueAsync(nudgeId, now, now + EarlyFireTolerance, Options.ClaimBatchSize - 1, cancellationToken);
        var outcomes = await DeliverGroupAsync(claimed.Select(c => new Claimed(c.Nudge, (c.Interview, c.Member))).ToList(), resumed: false,
            cancellationToken);
        if (outcomes.TryGetValue(nudgeId, out var outcome)) return outcome;
        Log.NotClaimable(logger, nudgeId);
        return DispatchOutcome.NotClaimable;
    }

    /// <summary>
    /// Finishes a nudge found in sending after a crash: an earlier attempt may have reached the member, so the
    /// platform is told (<see cref="DirectMessageRequest.PossibleRepeat"/>) and can check before sending.
    /// Call only when no dispatch of this nudge can be in flight (at start, before the scheduler runs).
    /// </summary>
    public async Task<DispatchOutcome> ResumeInterruptedAsync(long nudgeId, CancellationToken cancellationToken)
    {
        var nudge = await nudges.GetAsync(nudgeId, cancellationToken);
        if (nudge is not { State: NudgeState.Sending }) return DispatchOutcome.NotClaimable;
        Log.Resuming(logger, nudge.Id, nudge.Kind.Name());
        return await DeliverClaimedAsync(nudge, possibleRepeat: true, loaded: null, sentLater: null, cancellationToken);
    }

    /// <summary>
    /// A firing of <paramref name="nudgeId"/>'s trigger recovered from an instance that died: every nudge that firing
    /// claimed and left in sending is resumed as a possible repeat (and none a live firing holds); then, when the fired
    /// nudge itself was not among them, it is dispatched as usual. Returns the outcome for <paramref name="nudgeId"/>.
    /// </summary>
    public async Task<DispatchOutcome> ResumeFiringAsync(long nudgeId, CancellationToken cancellationToken)
    {
        var group = await nudges.ListClaimedByFiringAsync(nudgeId, cancellationToken);
        foreach (var nudge in group) Log.Resuming(logger, nudge.Id, nudge.Kind.Name());
        var outcomes = await DeliverGroupAsync(group.Select(n => new Claimed(n, null)).ToList(), resumed: true, cancellationToken);
        return outcomes.TryGetValue(nudgeId, out var outcome) ? outcome : await DispatchAsync(nudgeId, cancellationToken);
    }

    /// <summary>
    /// Delivers claimed nudges one after another, in the order given. A group's deliveries are recorded together at the
    /// end (a crash before that leaves them in sending, to be resumed as possible repeats, as for a single nudge cut off
    /// mid-send); one nudge's failure does not stop the others.
    /// </summary>
    private async Task<Dictionary<long, DispatchOutcome>> DeliverGroupAsync(IReadOnlyList<Claimed> group, bool resumed,
        CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<long, DispatchOutcome>(group.Count);
        if (group is [var (only, onlyLoaded)])
        {
            outcomes[only.Id] = await DeliverClaimedAsync(only, resumed || only.PossibleRepeat, onlyLoaded, sentLater: null, cancellationToken);
            return outcomes;
        }
        var sent = new List<Nudge>(group.Count);
        try
        {
            foreach (var (nudge, loaded) in group)
            {
                try
                {
                    outcomes[nudge.Id] = await DeliverClaimedAsync(nudge, resumed || nudge.PossibleRepeat, loaded, sent, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Left in sending: resumed as a possible repeat at the next start, or by whichever instance recovers
                    // this firing.
                    Log.GroupNudgeFailed(logger, e, nudge.Id);
                }
            }
        }
        finally
        {
            // Recorded even when stopping: these went out, and an unrecorded one would be resumed as a possible repeat.
            if (sent.Count > 0)
            {
                var recorded = await nudges.CompleteSentAsync(sent.Select(n => n.Id).ToList(), time.GetUtcNow(), CancellationToken.None);
                foreach (var nudge in sent.Where(n => !recorded.Contains(n.Id))) Log.DeliveredButMoved(logger, nudge.Id);
            }
        }
        return outcomes;
    }

    /// <param name="loaded">The nudge's interview and member as read with the claim (null: read them now).</param>
    /// <param name="sentLater">When given, a delivered nudge is added to it for the caller to record with others,
    /// instead of being recorded at once.</param>
    private async Task<DispatchOutcome> DeliverClaimedAsync(Nudge nudge, bool possibleRepeat, (Interview?, Member?)? loaded,
        List<Nudge>? sentLater, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (interview, member) = loaded ?? await LoadAsync(nudge, cancellationToken);
        if (interview is null || member is null || IsMoot(nudge, interview))
        {
            Log.Moot(logger, nudge.Id, nudge.Kind.Name());
            await nudges.CompleteAsync(nudge.Id, NudgeState.Cancelled, now, "moot: the interview is closed or gone", null, possibleRepeat: false, cancellationToken);
            return DispatchOutcome.Cancelled;
        }

        var step = planner.Playbook.Step(nudge.Kind);
        var planning = new PlanningContext(ZoneOf(member), member.QuietHours, HolidayCalendar.Of(member, bot.Value.HolidayCountry));
        var lateness = now > nudge.DueAt ? now - nudge.DueAt : TimeSpan.Zero;
        if (lateness > step.MaxLateness)
            return await SkipAsync(nudge, member, now, lateness, step.MaxLateness, cancellationToken);

        var late = lateness > Options.LateAfter;
        // The debrief skips quiet hours only on time, when the member is at the keyboard; a late one waits like the rest.
        if (step.QuietHoursApply || late)
        {
            var allowed = step.QuietHoursApply
                ? planner.NextAllowedTime(nudge.Kind, now, planning)
                : planner.SnoozedUntil(nudge.Kind, now, planning);
            if (allowed > now)
            {
                var latenessThen = allowed - nudge.DueAt;
                if (latenessThen > step.MaxLateness)
                    return await SkipAsync(nudge, member, now, latenessThen, step.MaxLateness, cancellationToken);
                Log.Deferred(logger, nudge.Id, nudge.Kind.Name(), allowed);
                return await ReleaseAsync(nudge, now, allowed, possibleRepeat ? PossibleRepeatNote : null, possibleRepeat,
                    DispatchOutcome.Deferred, cancellationToken);
            }
        }

        var platform = platforms.Find(member.Key.Platform);
        DeliveryResult result;
        var fateUnknown = false;
        if (platform is null)
        {
            // The adapter may only be switched off for now; keep the nudge and try again later.
            result = new DeliveryResult(DeliveryStatus.RetryLater, $"no platform '{member.Key.Platform}' is running");
        }
        else
        {
            // Only wording that names the member's other processes or their process's notes reads the other interviews.
            var context = composer.NeedsContext(nudge.Kind)
                ? NudgeContext.Of(planning.Zone, interview, await interviews.ListAsync(member.Id, openOnly: false, cancellationToken))
                : new NudgeContext(planning.Zone, [interview], []);
            // Worded for the moment it arrives; a step that speaks of the thank-yous checks they were prompted.
            var thanksPrompted = !Moments.NeedsThanksHistory(step) ||
                                 DeliveryMoment.AnyThanksPrompted(await nudges.ListByInterviewAsync(interview.Id, cancellationToken));
            var message = composer.Compose(nudge, interview, late, new DeliveryMoment(now, planning, thanksPrompted), context);
            var header = new NudgeHeader(nudge.Kind, TimeZoneInfo.ConvertTime(nudge.DueAt, planning.Zone), late);
            var request = new DirectMessageRequest(member, message, nudge.DeliveryKey, possibleRepeat, header);
            metrics?.NudgeFired(lateness, nudge.Kind.Name(), member.Key.Platform);
            try
            {
                result = await platform.SendDirectMessageAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The send may or may not have gone out; the next attempt says so to the platform.
                Log.SendThrew(logger, nudge.Id, e.GetType().Name, e.Message);
                result = new DeliveryResult(DeliveryStatus.RetryLater, $"{e.GetType().Name}; {PossibleRepeatNote}");
                fateUnknown = true;
            }
            // A cancelled send (shutdown) leaves the nudge in sending: the next start resumes it as a possible repeat.
        }

        var outcome = await RecordAsync(nudge, member, result, fateUnknown, sentLater, cancellationToken);
        Count(outcome, result.Status, late, nudge, member);
        return outcome;
    }

    private async Task<(Interview?, Member?)> LoadAsync(Nudge nudge, CancellationToken cancellationToken)
    {
        var interview = await interviews.GetAsync(nudge.InterviewId, cancellationToken);
        return (interview, interview is null ? null : await members.GetAsync(interview.MemberId, cancellationToken));
    }

    /// <summary>A claimed nudge, with its interview and member when they were read with the claim.</summary>
    private sealed record Claimed(Nudge Nudge, (Interview?, Member?)? Loaded);

    private void Count(DispatchOutcome outcome, DeliveryStatus status, bool late, Nudge nudge, Member member)
    {
        NudgeOutcome? counted = outcome switch
        {
            DispatchOutcome.Delivered => late ? NudgeOutcome.Late : NudgeOutcome.Sent,
            DispatchOutcome.Failed => status == DeliveryStatus.Unreachable ? NudgeOutcome.Unreachable : NudgeOutcome.Failed,
            _ => null,
        };
        if (counted is { } value) metrics?.NudgeFinished(value, nudge.Kind.Name(), member.Key.Platform);
    }

    /// <param name="fateUnknown">The send failed mid-way: it may have reached the member, so a retry is a possible repeat.</param>
    private async Task<DispatchOutcome> RecordAsync(Nudge nudge, Member member, DeliveryResult result, bool fateUnknown,
        List<Nudge>? sentLater, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (result.Status)
        {
            case DeliveryStatus.Delivered:
                if (sentLater is not null)
                {
                    sentLater.Add(nudge);
                    return DispatchOutcome.Delivered;
                }
                if (!await nudges.CompleteAsync(nudge.Id, NudgeState.Sent, now, null, null, possibleRepeat: false, cancellationToken))
                    Log.DeliveredButMoved(logger, nudge.Id);
                return DispatchOutcome.Delivered;

            case DeliveryStatus.Unreachable:
                Log.Unreachable(logger, member.Id, nudge.Id, result.Detail);
                await nudges.CompleteAsync(nudge.Id, NudgeState.Failed, now, result.Detail ?? "member unreachable", null, possibleRepeat: false, cancellationToken);
                // Read again so that settings the member changed meanwhile are not overwritten.
                if (await members.GetAsync(member.Id, cancellationToken) is { } current)
                    await members.SaveAsync(current with
                    {
                        UnreachableSince = current.UnreachableSince ?? now,
                        UnreachableNoticePending = true,
                    }, cancellationToken);
                return DispatchOutcome.Failed;

            case DeliveryStatus.PermanentFailure:
                Log.Undeliverable(logger, nudge.Id, result.Detail);
                await nudges.CompleteAsync(nudge.Id, NudgeState.Failed, now, result.Detail ?? "permanent failure", null, possibleRepeat: false, cancellationToken);
                return DispatchOutcome.Failed;

            default:
                var error = result.Detail ?? "the platform asked to retry later";
                if (nudge.Attempts >= Options.MaxAttempts)
                {
                    Log.GaveUp(logger, nudge.Id, nudge.Attempts, error);
                    await nudges.CompleteAsync(nudge.Id, NudgeState.Failed, now, error, null, possibleRepeat: false, cancellationToken);
                    return DispatchOutcome.Failed;
                }
                var delay = new Backoff(Options.FirstRetryDelay, TimeSpan.MaxValue).Delay(nudge.Attempts, result.RetryAfter);
                Log.Retrying(logger, nudge.Id, delay, nudge.Attempts, error);
                return await ReleaseAsync(nudge, now, now + delay, error, fateUnknown, DispatchOutcome.Retrying, cancellationToken);
        }
    }

    private async Task<DispatchOutcome> ReleaseAsync(Nudge nudge, DateTimeOffset now, DateTimeOffset nextDueAt, string? note,
        bool possibleRepeat, DispatchOutcome outcome, CancellationToken cancellationToken)
    {
        if (!await nudges.CompleteAsync(nudge.Id, NudgeState.Pending, now, note, nextDueAt, possibleRepeat, cancellationToken))
            return outcome;
        try
        {
            await scheduler.ScheduleAsync([nudge with { State = NudgeState.Pending, DueAt = nextDueAt, ClaimedAt = null, PossibleRepeat = possibleRepeat }],
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The row is the truth; the reconciler gives it its trigger on its next pass.
            Log.RescheduleFailed(logger, e, nudge.Id);
        }
        return outcome;
    }

    private async Task<DispatchOutcome> SkipAsync(Nudge nudge, Member member, DateTimeOffset now, TimeSpan lateness,
        TimeSpan maxLateness, CancellationToken cancellationToken)
    {
        metrics?.NudgeFinished(NudgeOutcome.Skipped, nudge.Kind.Name(), member.Key.Platform);
        Log.TooLate(logger, nudge.Id, nudge.Kind.Name(), lateness, maxLateness);
        await nudges.CompleteAsync(nudge.Id, NudgeState.Skipped, now, $"too late: {lateness} past due", null, possibleRepeat: false, cancellationToken);
        return DispatchOutcome.Skipped;
    }

    /// <summary>Once the round has an outcome that ends it, only the steps the playbook marks as surviving one go out.</summary>
    private bool IsMoot(Nudge nudge, Interview interview) =>
        interview.Outcome is { } outcome && outcome.EndsTheRound() && !planner.Playbook.Step(nudge.Kind).SurvivesOutcome;

    private TimeZoneInfo ZoneOf(Member member)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(member.TimeZoneId, out var zone)) return zone;
        Log.UnknownZone(logger, member.Id, member.TimeZoneId);
        return TimeZoneInfo.Utc;
    }

    /// <summary>Event ids 2001-2099: delivery.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Nudge {NudgeId} is not claimable (already handled or no longer due)")]
        public static partial void NotClaimable(ILogger logger, long nudgeId);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Resuming nudge {NudgeId} ({Kind}), interrupted mid-send; the platform may already have it")]
        public static partial void Resuming(ILogger logger, long nudgeId, string kind);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Nudge {NudgeId} ({Kind}) is moot and was cancelled")]
        public static partial void Moot(ILogger logger, long nudgeId, string kind);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Nudge {NudgeId} ({Kind}) falls in quiet hours; deferred to {At:O}")]
        public static partial void Deferred(ILogger logger, long nudgeId, string kind, DateTimeOffset at);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Sending nudge {NudgeId} failed with {Error}: {Message}")]
        public static partial void SendThrew(ILogger logger, long nudgeId, string error, string message);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Nudge {NudgeId} was delivered but had left sending meanwhile")]
        public static partial void DeliveredButMoved(ILogger logger, long nudgeId);

        [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Member {MemberId} cannot be messaged; nudge {NudgeId} failed: {Detail}")]
        public static partial void Unreachable(ILogger logger, long memberId, long nudgeId, string? detail);

        [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Nudge {NudgeId} cannot be delivered: {Detail}")]
        public static partial void Undeliverable(ILogger logger, long nudgeId, string? detail);

        [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Nudge {NudgeId} failed after {Attempts} attempts: {Detail}")]
        public static partial void GaveUp(ILogger logger, long nudgeId, int attempts, string detail);

        [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Nudge {NudgeId} will be retried in {Delay} (attempt {Attempts}): {Detail}")]
        public static partial void Retrying(ILogger logger, long nudgeId, TimeSpan delay, int attempts, string detail);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Could not reschedule nudge {NudgeId}; the reconciler will")]
        public static partial void RescheduleFailed(ILogger logger, Exception exception, long nudgeId);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Skipped nudge {NudgeId} ({Kind}): {Lateness} late, its step allows at most {MaxLateness}")]
        public static partial void TooLate(ILogger logger, long nudgeId, string kind, TimeSpan lateness, TimeSpan maxLateness);

        [LoggerMessage(EventId = 2014, Level = LogLevel.Error, Message = "Delivering nudge {NudgeId} of a claimed group failed; it stays claimed and is resumed as a possible repeat")]
        public static partial void GroupNudgeFailed(ILogger logger, Exception exception, long nudgeId);

        [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Member {MemberId} has an unknown time zone '{Zone}'; using UTC")]
        public static partial void UnknownZone(ILogger logger, long memberId, string zone);
    }
}
