using System.Globalization;
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

    public Task<Nudge?> TryClaimAsync(long nudgeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryClaimAsync(nudgeId, now, dueBy: null, cancellationToken);

    public async Task<Nudge?> TryClaimAsync(long nudgeId, DateTimeOffset now, DateTimeOffset? dueBy, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // One conditional statement: of two concurrent fires, exactly one sees the row still pending.
        var row = await connection.QuerySingleOrDefaultAsync<NudgeRows.Row>(new CommandDefinition($"""
            UPDATE nudges SET state = @sending, attempts = attempts + 1, claimed_at = @now, claimed_with = @nudgeId
            WHERE id = @nudgeId AND state IN {NudgeRows.ScheduledStates} AND (@dueBy IS NULL OR due_at <= @dueBy)
            RETURNING {NudgeRows.Columns}
            """, new
            {
                nudgeId,
                now = StoredValues.Time(now),
                dueBy = dueBy is { } d ? StoredValues.Time(d) : null,
                sending = NudgeState.Sending.Name(),
            }, cancellationToken: cancellationToken));
        return row?.ToNudge();
    }

    public async Task<IReadOnlyList<ClaimedNudge>> TryClaimDueAsync(long nudgeId, DateTimeOffset now, DateTimeOffset dueBy, int others,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(others);
        await using var connection = await connections.OpenAsync(cancellationToken);
        // One conditional statement, as for a single claim: the outer condition is checked again on each row as it is
        // updated, so of two concurrent claimers exactly one moves a row to sending. On PostgreSQL the inner query also
        // passes over rows another claimer has locked, so concurrent firings take different groups instead of queueing
        // behind each other (SQLite has one writer at a time anyway). The two reads that follow, sent in the same command
        // (one round trip), find the group by the claim's own marks and load its interviews and members.
        var skipLocked = connections.Provider == StorageProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        const string group = "SELECT {0} FROM nudges WHERE state = @sending AND claimed_with = @nudgeId AND claimed_at = @now";
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition($"""
            UPDATE nudges SET state = @sending, attempts = attempts + 1, claimed_at = @now, claimed_with = @nudgeId
            WHERE id IN (
                SELECT id FROM nudges
                WHERE state IN {NudgeRows.ScheduledStates} AND ((id = @nudgeId AND due_at <= @dueBy) OR due_at <= @now)
                ORDER BY CASE WHEN id = @nudgeId THEN 0 ELSE 1 END, due_at, id
                LIMIT @limit
                {skipLocked})
              AND state IN {NudgeRows.ScheduledStates}
            RETURNING {NudgeRows.Columns};
            SELECT {SqlInterviewRepository.Columns} FROM interviews WHERE id IN ({string.Format(CultureInfo.InvariantCulture, group, "interview_id")});
            SELECT {SqlMemberRepository.Columns} FROM members WHERE id IN ({string.Format(CultureInfo.InvariantCulture, group, "member_id")});
            """, new
            {
                nudgeId,
                now = StoredValues.Time(now),
                dueBy = StoredValues.Time(dueBy > now ? dueBy : now),
                limit = others + 1,
                sending = NudgeState.Sending.Name(),
            }, cancellationToken: cancellationToken));
        var claimed = (await results.ReadAsync<NudgeRows.Row>()).Select(r => r.ToNudge()).ToList();
        var interviews = (await results.ReadAsync<SqlInterviewRepository.InterviewRow>()).Select(r => r.ToInterview()).ToDictionary(i => i.Id);
        var members = (await results.ReadAsync<SqlMemberRepository.MemberRow>()).Select(r => r.ToMember()).ToDictionary(m => m.Id);
        // Neither database promises RETURNING order.
        return claimed.OrderBy(n => n.Id == nudgeId ? 0 : 1).ThenBy(n => n.DueAt).ThenBy(n => n.Id)
            .Select(n => new ClaimedNudge(n, interviews.GetValueOrDefault(n.InterviewId),
                interviews.GetValueOrDefault(n.InterviewId) is { } interview ? members.GetValueOrDefault(interview.MemberId) : null))
            .ToList();
    }

    public async Task<IReadOnlyList<Nudge>> ListClaimedByFiringAsync(long nudgeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // A claim made before claims were grouped (claimed_with unset) was made by the nudge's own firing.
        var rows = await connection.QueryAsync<NudgeRows.Row>(new CommandDefinition($"""
            SELECT {NudgeRows.Columns} FROM nudges
            WHERE state = @sending AND (claimed_with = @nudgeId OR (claimed_with IS NULL AND id = @nudgeId))
            ORDER BY CASE WHEN id = @nudgeId THEN 0 ELSE 1 END, due_at, id
            """, new { nudgeId, sending = NudgeState.Sending.Name() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToNudge()).ToList();
    }

    public async Task<IReadOnlyCollection<long>> CompleteSentAsync(IReadOnlyCollection<long> nudgeIds, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        if (nudgeIds.Count == 0) return [];
        var when = StoredValues.Time(at);
        await using (var connection = await connections.OpenAsync(cancellationToken))
        await using (var transaction = await connection.BeginWriteAsync(cancellationToken))
        {
            // Four round trips for the whole group (begin, update, insert, commit) where one nudge at a time took four each.
            // The ids as parameters of their own: Dapper hands a list to Npgsql as one array, which IN does not take.
            var marks = new DynamicParameters(new { at = when, sent = NudgeState.Sent.Name(), sending = NudgeState.Sending.Name(), notRepeat = false });
            var idList = string.Join(", ", nudgeIds.Select((id, i) =>
            {
                marks.Add($"id{i}", id);
                return $"@id{i}";
            }));
            var counted = (await connection.QueryAsync<Counted>(new CommandDefinition($"""
                UPDATE nudges SET state = @sent, sent_at = @at, deliveries = deliveries + 1, attempts = 0, last_error = NULL,
                    possible_repeat = @notRepeat
                WHERE id IN ({idList}) AND state = @sending
                RETURNING id, deliveries
                """, marks, transaction, cancellationToken: cancellationToken))).ToList();
            if (counted.Count == 0) return [];
            var values = new DynamicParameters(new { at = when });
            var rows = new List<string>(counted.Count);
            for (var i = 0; i < counted.Count; i++)
            {
                rows.Add($"(@k{i}, @n{i}, @at)");
                values.Add($"k{i}", Nudge.DeliveryKeyOf(counted[i].Id, counted[i].Deliveries));
                values.Add($"n{i}", counted[i].Id);
            }
            var recorded = await connection.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO deliveries (delivery_key, nudge_id, delivered_at) VALUES {string.Join(", ", rows)}
                ON CONFLICT (delivery_key) DO NOTHING
                """, values, transaction, cancellationToken: cancellationToken));
            if (recorded == counted.Count)
            {
                await transaction.CommitAsync(cancellationToken);
                return counted.Select(c => c.Id).ToList();
            }
            // A delivery recorded already (never in normal operation): undo the group and record one by one, so that
            // exactly the refused ones stay as they were, as CompleteAsync leaves them.
        }
        var done = new List<long>(nudgeIds.Count);
        foreach (var id in nudgeIds)
            if (await CompleteAsync(id, NudgeState.Sent, at, null, null, possibleRepeat: false, cancellationToken))
                done.Add(id);
        return done;
    }

    public async Task<bool> CompleteAsync(long nudgeId, NudgeState to, DateTimeOffset at, string? error,
        DateTimeOffset? nextDueAt, bool possibleRepeat, CancellationToken cancellationToken)
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
                UPDATE nudges SET state = @sent, sent_at = @at, deliveries = deliveries + 1, attempts = 0, last_error = NULL,
                    possible_repeat = @notRepeat
                WHERE id = @nudgeId AND state = @sending
                RETURNING deliveries
                """, new { nudgeId, at = StoredValues.Time(at), sent = NudgeState.Sent.Name(), sending, notRepeat = false }, transaction,
                cancellationToken: cancellationToken));
            if (deliveries is not { } count) return false;
            var recorded = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO deliveries (delivery_key, nudge_id, delivered_at) VALUES (@key, @nudgeId, @at)
                ON CONFLICT (delivery_key) DO NOTHING
                """, new { key = Nudge.DeliveryKeyOf(nudgeId, count), nudgeId, at = StoredValues.Time(at) }, transaction,
                cancellationToken: cancellationToken));
            if (recorded == 0) return false;
        }
        else
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE nudges
                SET state = @to, last_error = @error, due_at = COALESCE(@nextDueAt, due_at), possible_repeat = @possibleRepeat,
                    claimed_at = CASE WHEN @release = 1 THEN NULL ELSE claimed_at END
                WHERE id = @nudgeId AND state = @sending
                """, new
                {
                    nudgeId,
                    to = to.Name(),
                    error,
                    possibleRepeat,
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

    private sealed class Counted
    {
        public long Id { get; set; }
        public int Deliveries { get; set; }
    }
}
