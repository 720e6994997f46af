using Dapper;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

public sealed class SqlDashboardAccessRepository(IDbConnectionFactory connections) : IDashboardAccessRepository
{
    public async Task AddLinkAsync(string tokenHash, long coachMemberId, DateTimeOffset createdAt, DateTimeOffset expiresAt,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);
        var now = StoredValues.Time(createdAt);
        // Housekeeping rides along with a new link: expired rows open nothing, so nothing is lost by dropping them.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM dashboard_links WHERE expires_at < @now; DELETE FROM dashboard_sessions WHERE expires_at < @now",
            new { now }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO dashboard_links (token_hash, coach_member_id, created_at, expires_at)
            VALUES (@tokenHash, @coachMemberId, @now, @expiresAt)
            """, new { tokenHash, coachMemberId, now, expiresAt = StoredValues.Time(expiresAt) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long?> RedeemLinkAsync(string tokenHash, string sessionHash, DateTimeOffset now, DateTimeOffset sessionExpiresAt,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);
        var at = StoredValues.Time(now);
        // The claim: only an unused, unexpired link matches, and the row is taken in the same statement, so two
        // instances (or two tabs) opening one link at once cannot both get a session.
        var coach = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            UPDATE dashboard_links SET used_at = @at
            WHERE token_hash = @tokenHash AND used_at IS NULL AND expires_at > @at
            RETURNING coach_member_id
            """, new { tokenHash, at }, transaction, cancellationToken: cancellationToken));
        if (coach is null) return null;
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO dashboard_sessions (session_hash, coach_member_id, created_at, expires_at)
            VALUES (@sessionHash, @coach, @at, @expiresAt)
            """, new { sessionHash, coach, at, expiresAt = StoredValues.Time(sessionExpiresAt) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return coach;
    }

    public async Task<long?> FindSessionAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT coach_member_id FROM dashboard_sessions WHERE session_hash = @sessionHash AND expires_at > @now",
            new { sessionHash, now = StoredValues.Time(now) }, cancellationToken: cancellationToken));
    }

    public async Task EndSessionAsync(string sessionHash, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM dashboard_sessions WHERE session_hash = @sessionHash", new { sessionHash }, cancellationToken: cancellationToken));
    }
}
