using Dapper;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

/// <summary>
/// One upsert claims, renews or takes over a lease: the row is written only when it is new, the holder's own, or
/// expired long enough, and the count of rows written says who won. Two instances racing for a free lease cannot
/// both win: the primary key serializes them (ON CONFLICT is atomic on both databases), and the loser's update
/// finds the winner's unexpired row.
/// </summary>
public sealed class SqlLeaseStore(IDbConnectionFactory connections) : ILeaseStore
{
    public async Task<bool> TryAcquireAsync(string resource, string holder, DateTimeOffset now, TimeSpan duration, DateTimeOffset expiredBefore,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var written = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO leases (resource, holder, expires_at) VALUES (@resource, @holder, @expiresAt)
            ON CONFLICT (resource) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at < @expiredBefore
            """, new
        {
            resource,
            holder,
            expiresAt = Until(now, duration),
            expiredBefore = expiredBefore.ToUnixTimeMilliseconds(),
        }, cancellationToken: cancellationToken));
        return written == 1;
    }

    public async Task ReleaseAsync(string resource, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM leases WHERE resource = @resource AND holder = @holder",
            new { resource, holder }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Lease>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // substr rather than LIKE: resource names may hold '_' or '%'; the table holds a handful of rows.
        var rows = await connection.QueryAsync<(string Resource, string Holder, long ExpiresAt)>(new CommandDefinition(
            "SELECT resource, holder, expires_at FROM leases WHERE substr(resource, 1, @length) = @prefix ORDER BY resource",
            new { prefix, length = prefix.Length }, cancellationToken: cancellationToken));
        return rows.Select(r => new Lease(r.Resource, r.Holder, DateTimeOffset.FromUnixTimeMilliseconds(r.ExpiresAt))).ToList();
    }

    /// <summary>A very long duration (a registration done for good) saturates instead of overflowing.</summary>
    private static long Until(DateTimeOffset now, TimeSpan duration) =>
        duration >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() : (now + duration).ToUnixTimeMilliseconds();
}
