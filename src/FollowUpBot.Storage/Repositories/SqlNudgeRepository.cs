using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

public sealed class SqlNudgeRepository(IDbConnectionFactory connections) : INudgeRepository
{
    public async Task<Nudge?> GetAsync(long nudgeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<NudgeRows.Row>(new CommandDefinition(
            $"SELECT {NudgeRows.Columns} FROM nudges WHERE id = @nudgeId", new { nudgeId }, cancellationToken: cancellationToken));
        return row?.ToNudge();
    }

    public async Task<IReadOnlyList<Nudge>> ListByInterviewAsync(long interviewId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<NudgeRows.Row>(new CommandDefinition(
            $"SELECT {NudgeRows.Columns} FROM nudges WHERE interview_id = @interviewId ORDER BY due_at, id",
            new { interviewId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToNudge()).ToList();
    }

    public async Task<IReadOnlyList<Nudge>> ListUpcomingByMemberAsync(long memberId, DateTimeOffset sentSince,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<NudgeRows.Row>(new CommandDefinition($"""
            SELECT {NudgeRows.Columns} FROM nudges
            WHERE member_id = @memberId AND (state IN {NudgeRows.ScheduledStates} OR sent_at >= @sentSince)
            ORDER BY due_at, id
            """, new { memberId, sentSince = StoredValues.Time(sentSince) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToNudge()).ToList();
    }

    public async Task<IReadOnlyList<Nudge>> ListByStateAsync(IReadOnlyCollection<NudgeState> states, CancellationToken cancellationToken)
    {
        if (states.Count == 0) return [];
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<NudgeRows.Row>(new CommandDefinition(
            $"SELECT {NudgeRows.Columns} FROM nudges WHERE state IN {StoredValues.NameList(states.Select(s => s.Name()))} ORDER BY due_at, id",
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToNudge()).ToList();
    }

    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT MIN(due_at) FROM nudges WHERE state IN {NudgeRows.ScheduledStates}", cancellationToken: cancellationToken));
        return StoredValues.ParseOptionalTime(next);
    }

    public async Task<Nudge?> TryClaimAsync(long nudgeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // One conditional statement: of two concurrent fires, exactly one sees the row still pending.
        var row = await connection.QuerySingleOrDefaultAsync<NudgeRows.Row>(new CommandDefinition($"""
            UPDATE nudges SET state = @sending, attempts = attempts + 1, claimed_at = @now
            WHERE id = @nudgeId AND state IN {NudgeRows.ScheduledStates}
            RETURNING {NudgeRows.Columns}
            """, new
            {
                nudgeId,
                now = StoredValues.Time(now),
                sending = NudgeState.Sending.Name(),
            }, cancellationToken: cancellationToken));
        return row?.ToNudge();
    }

    public async Task<bool> CompleteAsync(long nudgeId, NudgeState to, DateTimeOffset at, string? error,
        DateTimeOffset? nextDueAt, CancellationToken cancellationToken)
    {
        if (to == NudgeState.Sending) throw new ArgumentOutOfRangeException(nameof(to), "A claimed nudge cannot complete into sending.");
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);

        var sending = NudgeState.Sending.Name();
        if (to == NudgeState.Sent)
        {
            // The delivery is counted and recorded together; the delivery key is the one the send carried
            // (the count before this delivery, plus one), so a second record of the same send is refused.
            var deliveries = await connection.ExecuteScalarAsync<int?>(new CommandDefinition("""
                UPDATE nudges SET state = @sent, sent_at = @at, deliveries = deliveries + 1, attempts = 0, last_error = NULL
                WHERE id = @nudgeId AND state = @sending
                RETURNING deliveries
                """, new { nudgeId, at = StoredValues.Time(at), sent = NudgeState.Sent.Name(), sending }, transaction,
                cancellationToken: cancellationToken));
            if (deliveries is not { } count) return false;
            var recorded = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO deliveries (delivery_key, nudge_id, delivered_at) VALUES (@key, @nudgeId, @at)
                ON CONFLICT (delivery_key) DO NOTHING
                """, new { key = $"n{nudgeId}d{count}", nudgeId, at = StoredValues.Time(at) }, transaction,
                cancellationToken: cancellationToken));
            if (recorded == 0) return false;
        }
        else
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE nudges
                SET state = @to, last_error = @error, due_at = COALESCE(@nextDueAt, due_at),
                    claimed_at = CASE WHEN @release = 1 THEN NULL ELSE claimed_at END
                WHERE id = @nudgeId AND state = @sending
                """, new
                {
                    nudgeId,
                    to = to.Name(),
                    error,
                    nextDueAt = StoredValues.Time(nextDueAt),
                    release = to is NudgeState.Pending or NudgeState.Snoozed ? 1 : 0,
                    sending,
                }, transaction, cancellationToken: cancellationToken));
            if (changed == 0) return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> ChangeStateAsync(long nudgeId, IReadOnlyCollection<NudgeState> from, NudgeState to,
        DateTimeOffset? dueAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await NudgeRows.ChangeStateAsync(connection, null, nudgeId, from, to, dueAt, cancellationToken);
    }
}
