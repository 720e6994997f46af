using System.Data.Common;
using Dapper;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

/// <summary>
/// The primary key decides: of two instances inserting the same id, one inserts a row and the other none, whatever
/// the interleaving (ON CONFLICT DO NOTHING is atomic on both databases). Ids are claimed up front
/// (<see cref="TryClaimAsync"/>), or recorded with the effects of the flow handling them (<see cref="RecordAsync"/>).
/// </summary>
public sealed class SqlHandledInteractions(IDbConnectionFactory connections) : IHandledInteractions
{
    /// <summary>Keys recorded with effects are kept this long: Slack redelivers within minutes.</summary>
    public static readonly TimeSpan KeyMemory = TimeSpan.FromMinutes(15);

    private static long _nextCleanupTicks;

    public async Task<bool> TryClaimAsync(string platform, string interactionId, DateTimeOffset now, DateTimeOffset forgetBefore,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM handled_interactions WHERE handled_at < @before",
            new { before = forgetBefore.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return await InsertAsync(connection, null, platform, interactionId, now, null, cancellationToken) == 1;
    }

    public async Task<bool> IsHandledAsync(string platform, string interactionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM handled_interactions WHERE platform = @platform AND interaction_id = @interactionId",
            new { platform, interactionId }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Inside a write transaction of a flow handling <see cref="InteractionKey.Current"/>: records the key with the
    /// effects about to be committed. Throws <see cref="InteractionAlreadyHandledException"/> when another flow has
    /// recorded it (its transaction committed, or commits while this one waits on the key's row), so the caller's
    /// transaction is rolled back before it writes anything.
    /// </summary>
    internal static async Task RecordAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (InteractionKey.Current is not { } key) return;
        // Old keys go now and then, in whichever transaction comes along (the table stays small).
        var now = key.At.UtcTicks;
        var due = Interlocked.Read(ref _nextCleanupTicks);
        if (now >= due && Interlocked.CompareExchange(ref _nextCleanupTicks, now + TimeSpan.FromMinutes(1).Ticks, due) == due)
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM handled_interactions WHERE handled_at < @before",
                new { before = (key.At - KeyMemory).ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));

        if (await InsertAsync(connection, transaction, key.Platform, key.Id, key.At, key.Owner, cancellationToken) == 1) return;
        var owner = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT handled_by FROM handled_interactions WHERE platform = @platform AND interaction_id = @id",
            new { platform = key.Platform, id = key.Id }, transaction, cancellationToken: cancellationToken));
        if (owner != key.Owner) throw new InteractionAlreadyHandledException(key.Platform, key.Id);
    }

    private static Task<int> InsertAsync(DbConnection connection, DbTransaction? transaction, string platform, string interactionId,
        DateTimeOffset at, string? owner, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO handled_interactions (platform, interaction_id, handled_at, handled_by) VALUES (@platform, @interactionId, @at, @owner)
            ON CONFLICT (platform, interaction_id) DO NOTHING
            """, new { platform, interactionId, at = at.ToUnixTimeMilliseconds(), owner }, transaction, cancellationToken: cancellationToken));
}

/// <summary>How the repositories open a transaction that writes.</summary>
internal static class WriteTransactions
{
    /// <summary>
    /// Begins a transaction and, when the flow handles an interaction that may be delivered again, records its key
    /// first, so the key commits (or rolls back) with exactly these effects.
    /// </summary>
    public static async Task<DbTransaction> BeginWriteAsync(this DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await SqlHandledInteractions.RecordAsync(connection, transaction, cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }
}
