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
    /// <summary>Every pending or snoozed nudge, in ascending id order, read as it goes.</summary>
    public async IAsyncEnumerable<ScheduledNudgeRow> InIdOrderAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<(long Id, string DueAt)>(
            $"SELECT id, due_at FROM nudges WHERE state IN {NudgeRows.ScheduledStates} ORDER BY id");
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
}
