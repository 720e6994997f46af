namespace FollowUpBot.Core.Delivery;

public enum DispatchOutcome { NotClaimable, Delivered, Skipped, Retrying, Failed, Deferred }

/// <summary>
/// Delivers one due nudge: claims it in the database (pending -> sending), drops it if moot or too late,
/// defers it out of quiet hours, composes it, hands it to the member's platform and records the result.
/// </summary>
public sealed class NudgeDispatcher
{
    public Task<DispatchOutcome> DispatchAsync(long nudgeId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("TODO(delivery)");
}
