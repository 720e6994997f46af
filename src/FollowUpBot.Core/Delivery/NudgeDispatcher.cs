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
public sealed class NudgeDispatcher(
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
    /// <summary>Marks a release after a send whose fate is unknown, so the next attempt warns the platform.</summary>
    internal const string PossibleRepeatNote = "may already have reached the member";

    private DeliveryOptions Options => options.Value;

    /// <summary>Claims and delivers the nudge; a nudge that is not pending or snoozed any more is left alone.</summary>
    public async Task<DispatchOutcome> DispatchAsync(long nudgeId, CancellationToken cancellationToken)
    {
        var claimed = await nudges.TryClaimAsync(nudgeId, time.GetUtcNow(), cancellationToken);
        if (claimed is null)
        {
            logger.LogDebug("Nudge {NudgeId} is not claimable (already handled or no longer due)", nudgeId);
            return DispatchOutcome.NotClaimable;
        }
        var possibleRepeat = claimed.LastError?.Contains(PossibleRepeatNote, StringComparison.Ordinal) == true;
        return await DeliverClaimedAsync(claimed, possibleRepeat, cancellationToken);
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
        logger.LogInformation("Resuming nudge {NudgeId} ({Kind}), interrupted mid-send; the platform may already have it",
            nudge.Id, nudge.Kind.Name());
        return await DeliverClaimedAsync(nudge, possibleRepeat: true, cancellationToken);
    }

    private async Task<DispatchOutcome> DeliverClaimedAsync(Nudge nudge, bool possibleRepeat, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var interview = await interviews.GetAsync(nudge.InterviewId, cancellationToken);
        var member = interview is null ? null : await members.GetAsync(interview.MemberId, cancellationToken);
        if (interview is null || member is null || IsMoot(nudge, interview))
        {
            logger.LogInformation("Nudge {NudgeId} ({Kind}) is moot and was cancelled", nudge.Id, nudge.Kind.Name());
            await nudges.CompleteAsync(nudge.Id, NudgeState.Cancelled, now, "moot: the interview is closed or gone", null, cancellationToken);
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
                logger.LogInformation("Nudge {NudgeId} ({Kind}) falls in quiet hours; deferred to {At:O}",
                    nudge.Id, nudge.Kind.Name(), allowed);
                return await ReleaseAsync(nudge, now, allowed, possibleRepeat ? PossibleRepeatNote : null,
                    DispatchOutcome.Deferred, cancellationToken);
            }
        }

        var platform = platforms.Find(member.Key.Platform);
        DeliveryResult result;
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
                logger.LogWarning("Sending nudge {NudgeId} failed with {Error}: {Message}", nudge.Id, e.GetType().Name, e.Message);
                result = new DeliveryResult(DeliveryStatus.RetryLater, $"{e.GetType().Name}; {PossibleRepeatNote}");
            }
            // A cancelled send (shutdown) leaves the nudge in sending: the next start resumes it as a possible repeat.
        }

        var outcome = await RecordAsync(nudge, member, result, cancellationToken);
        Count(outcome, result.Status, late, nudge, member);
        return outcome;
    }

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

    private async Task<DispatchOutcome> RecordAsync(Nudge nudge, Member member, DeliveryResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (result.Status)
        {
            case DeliveryStatus.Delivered:
                if (!await nudges.CompleteAsync(nudge.Id, NudgeState.Sent, now, null, null, cancellationToken))
                    logger.LogWarning("Nudge {NudgeId} was delivered but had left sending meanwhile", nudge.Id);
                return DispatchOutcome.Delivered;

            case DeliveryStatus.Unreachable:
                logger.LogWarning("Member {MemberId} cannot be messaged; nudge {NudgeId} failed: {Detail}",
                    member.Id, nudge.Id, result.Detail);
                await nudges.CompleteAsync(nudge.Id, NudgeState.Failed, now, result.Detail ?? "member unreachable", null, cancellationToken);
                // Read again so that settings the member changed meanwhile are not overwritten.
                if (await members.GetAsync(member.Id, cancellationToken) is { } current)
                    await members.SaveAsync(current with
                    {
                        UnreachableSince = current.UnreachableSince ?? now,
                        UnreachableNoticePending = true,
                    }, cancellationToken);
                return DispatchOutcome.Failed;

            case DeliveryStatus.PermanentFailure:
                logger.LogWarning("Nudge {NudgeId} cannot be delivered: {Detail}", nudge.Id, result.Detail);
                await nudges.CompleteAsync(nudge.Id, NudgeState.Failed, now, result.Detail ?? "permanent failure", null, cancellationToken);
                return DispatchOutcome.Failed;

            default:
                var error = result.Detail ?? "the platform asked to retry later";
                if (nudge.Attempts >= Options.MaxAttempts)
                {
                    logger.LogWarning("Nudge {NudgeId} failed after {Attempts} attempts: {Detail}", nudge.Id, nudge.Attempts, error);
                    await nudges.CompleteAsync(nudge.Id, NudgeState.Failed, now, error, null, cancellationToken);
                    return DispatchOutcome.Failed;
                }
                var delay = new Backoff(Options.FirstRetryDelay, TimeSpan.MaxValue).Delay(nudge.Attempts, result.RetryAfter);
                logger.LogInformation("Nudge {NudgeId} will be retried in {Delay} (attempt {Attempts}): {Detail}",
                    nudge.Id, delay, nudge.Attempts, error);
                return await ReleaseAsync(nudge, now, now + delay, error, DispatchOutcome.Retrying, cancellationToken);
        }
    }

    private async Task<DispatchOutcome> ReleaseAsync(Nudge nudge, DateTimeOffset now, DateTimeOffset nextDueAt, string? note,
        DispatchOutcome outcome, CancellationToken cancellationToken)
    {
        if (!await nudges.CompleteAsync(nudge.Id, NudgeState.Pending, now, note, nextDueAt, cancellationToken))
            return outcome;
        try
        {
            await scheduler.ScheduleAsync([nudge with { State = NudgeState.Pending, DueAt = nextDueAt, ClaimedAt = null }], cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The row is the truth; the reconciler gives it its trigger on its next pass.
            logger.LogWarning(e, "Could not reschedule nudge {NudgeId}; the reconciler will", nudge.Id);
        }
        return outcome;
    }

    private async Task<DispatchOutcome> SkipAsync(Nudge nudge, Member member, DateTimeOffset now, TimeSpan lateness,
        TimeSpan maxLateness, CancellationToken cancellationToken)
    {
        metrics?.NudgeFinished(NudgeOutcome.Skipped, nudge.Kind.Name(), member.Key.Platform);
        logger.LogInformation("Skipped nudge {NudgeId} ({Kind}): {Lateness} late, its step allows at most {MaxLateness}",
            nudge.Id, nudge.Kind.Name(), lateness, maxLateness);
        await nudges.CompleteAsync(nudge.Id, NudgeState.Skipped, now, $"too late: {lateness} past due", null, cancellationToken);
        return DispatchOutcome.Skipped;
    }

    /// <summary>Once the round has an outcome that ends it, only the steps the playbook marks as surviving one go out.</summary>
    private bool IsMoot(Nudge nudge, Interview interview) =>
        interview.Outcome is { } outcome && outcome.EndsTheRound() && !planner.Playbook.Step(nudge.Kind).SurvivesOutcome;

    private TimeZoneInfo ZoneOf(Member member)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(member.TimeZoneId, out var zone)) return zone;
        logger.LogWarning("Member {MemberId} has an unknown time zone '{Zone}'; using UTC", member.Id, member.TimeZoneId);
        return TimeZoneInfo.Utc;
    }
}
