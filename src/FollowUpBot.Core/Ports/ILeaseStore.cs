namespace FollowUpBot.Core.Ports;

/// <summary>A resource held by one instance until <see cref="ExpiresAt"/> unless it renews.</summary>
public sealed record Lease(string Resource, string Holder, DateTimeOffset ExpiresAt);

/// <summary>
/// Leases shared by every instance of the bot: a named resource (a Discord shard, the one-time command
/// registration) belongs to at most one holder at a time. A holder keeps it by renewing before it expires; once
/// expired, anyone may take it. Times are the caller's clock (instances are expected to keep NTP time).
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Claims <paramref name="resource"/> for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="duration"/>, or renews it when <paramref name="holder"/> already has it, in one conditional
    /// statement. Succeeds when nobody holds it, when it is the holder's own, or when its lease expired before
    /// <paramref name="expiredBefore"/> (a caller that already holds enough passes an earlier time, leaving a free
    /// resource to idle instances first). False: someone else holds it.
    /// </summary>
    Task<bool> TryAcquireAsync(string resource, string holder, DateTimeOffset now, TimeSpan duration, DateTimeOffset expiredBefore,
        CancellationToken cancellationToken);

    /// <summary>Gives the resource up at once, if <paramref name="holder"/> has it.</summary>
    Task ReleaseAsync(string resource, string holder, CancellationToken cancellationToken);

    /// <summary>The leases whose resource starts with <paramref name="prefix"/>, expired ones included.</summary>
    Task<IReadOnlyList<Lease>> ListAsync(string prefix, CancellationToken cancellationToken);
}
