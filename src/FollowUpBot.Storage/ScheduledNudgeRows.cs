using System.Runtime.CompilerServices;
using Dapper;
using FollowUpBot.Storage.Repositories;

namespace FollowUpBot.Storage;

/// <summary>A nudge waiting for its trigger (pending or snoozed): just what a trigger is built from.</summary>
public readonly record struct ScheduledNudgeRow(long Id, DateTimeOffset DueAt);

/// <summary>
/// The pending and snoozed nudges read the way the scheduler's reconciliation needs them with a million rows present:
/// streamed in id order (memory independent of the count) or as ids only, instead of as full nudges in one list.
/// </summary>
public sealed class ScheduledNudgeRows(IDbConnectionFactory connections)
{
    /// <summary>Every pending or snoozed nudge due at or before <paramref name="dueBy"/>, in ascending id order, read as it goes.</summary>
    public async IAsyncEnumerable<ScheduledNudgeRow> InIdOrderAsync(DateTimeOffset dueBy, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<(long Id, string DueAt)>(
            $"SELECT id, due_at FROM nudges WHERE state IN {NudgeRows.ScheduledStates} AND due_at <= @dueBy ORDER BY id",
            new { dueBy = StoredValues.Time(dueBy) });
        await foreach (var (id, dueAt) in rows.WithCancellation(cancellationToken))
            yield return new ScheduledNudgeRow(id, StoredValues.ParseTime(dueAt));
    }

    /// <summary>Ids of the pending or snoozed nudges due at or before <paramref name="now"/>, earliest first.</summary>
    public async Task<IReadOnlyList<long>> DueByAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Stored times are fixed-width UTC text, so comparing the text compares the times (and uses the index).
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM nudges WHERE state IN {NudgeRows.ScheduledStates} AND due_at <= @now ORDER BY due_at, id",
            new { now = StoredValues.Time(now) }, cancellationToken: cancellationToken));
        return ids.AsList();
    }

    /// <summary>
    /// One page of the pending and snoozed nudges due at or before <paramref name="dueBy"/>, in (due, id) order after
    /// <paramref name="after"/>: a range scan of the (state, due_at) index, however many nudges lie beyond.
    /// </summary>
    public async Task<IReadOnlyList<ScheduledNudgeRow>> DuePageAsync(DateTimeOffset dueBy, ScheduledNudgeRow? after, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var afterDueAt = after is { } a ? StoredValues.Time(a.DueAt) : "";
        var rows = await connection.QueryAsync<(long Id, string DueAt)>(new CommandDefinition($"""
            SELECT id, due_at FROM nudges
            WHERE state IN {NudgeRows.ScheduledStates} AND due_at <= @dueBy AND (due_at > @afterDueAt OR (due_at = @afterDueAt AND id > @afterId))
            ORDER BY due_at, id
            LIMIT @limit
            """, new { dueBy = StoredValues.Time(dueBy), afterDueAt, afterId = after?.Id ?? 0, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new ScheduledNudgeRow(r.Id, StoredValues.ParseTime(r.DueAt))).ToList();
    }
}
