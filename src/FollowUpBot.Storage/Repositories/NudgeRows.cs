using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

/// <summary>The nudges table as both repositories read and write it.</summary>
internal static class NudgeRows
{
    public const string Columns = """
        id AS Id, interview_id AS InterviewId, member_id AS MemberId, kind AS Kind, due_at AS DueAt,
        interviewer AS Interviewer, sequence AS Sequence, state AS State, attempts AS Attempts,
        deliveries AS Deliveries, claimed_at AS ClaimedAt, sent_at AS SentAt, last_error AS LastError,
        marked_at AS MarkedAt, possible_repeat AS PossibleRepeat
        """;

    /// <summary>The states a nudge waits in for its trigger, as a SQL list.</summary>
    public static readonly string ScheduledStates = StoredValues.NameList([NudgeState.Pending.Name(), NudgeState.Snoozed.Name()]);

    /// <summary>
    /// Rows per INSERT statement (13 parameters each). Both databases would take far more (SQLite 32,766 parameters,
    /// PostgreSQL 65,535), but Microsoft.Data.Sqlite looks each parameter up by name among the statement's, a cost
    /// that grows with the square of their number: 500 rows took 0.7 s to bind, 100 rows take a few milliseconds.
    /// An interview plans about ten nudges, so this only splits unusually large batches.
    /// </summary>
    internal const int RowsPerInsert = 100;

    /// <summary>
    /// State changes per round trip, one statement each. Kept small because Microsoft.Data.Sqlite offers every
    /// parameter of a command to every statement in it (statements times parameters); a re-plan changes about ten.
    /// </summary>
    internal const int ChangesPerBatch = 50;

    /// <summary>
    /// Inserts the nudges with one multi-row INSERT per <see cref="RowsPerInsert"/> rows (instead of one statement,
    /// so one round trip to the server, per nudge) and returns them with their new ids, in input order.
    /// </summary>
    public static async Task<IReadOnlyList<Nudge>> InsertAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<Nudge> nudges, CancellationToken cancellationToken)
    {
        var stored = new List<Nudge>(nudges.Count);
        foreach (var chunk in nudges.Chunk(RowsPerInsert))
            stored.AddRange(await InsertChunkAsync(connection, transaction, chunk, cancellationToken));
        return stored;
    }

    private static async Task<Nudge[]> InsertChunkAsync(DbConnection connection, DbTransaction transaction,
        Nudge[] chunk, CancellationToken cancellationToken)
    {
        // A plain command rather than Dapper's DynamicParameters, which checks each new parameter's name against
        // all those already added (again a square of the count).
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = new StringBuilder();
        var inserted = new StoredNudge[chunk.Length];
        for (var i = 0; i < chunk.Length; i++)
        {
            var v = inserted[i] = StoredNudge.Of(chunk[i]);
            values.Append(i == 0 ? "" : ",\n").Append(CultureInfo.InvariantCulture,
                $"(@i{i}, @m{i}, @k{i}, @d{i}, @w{i}, @q{i}, @s{i}, @a{i}, @n{i}, @c{i}, @t{i}, @e{i}, @x{i})");
            command.AddParameter($"@i{i}", v.InterviewId, DbType.Int64);
            command.AddParameter($"@m{i}", v.MemberId, DbType.Int64);
            command.AddParameter($"@k{i}", v.Kind, DbType.String);
            command.AddParameter($"@d{i}", v.DueAt, DbType.String);
            command.AddParameter($"@w{i}", v.Interviewer, DbType.String);
            command.AddParameter($"@q{i}", v.Sequence, DbType.Int32);
            command.AddParameter($"@s{i}", v.State, DbType.String);
            command.AddParameter($"@a{i}", v.Attempts, DbType.Int32);
            command.AddParameter($"@n{i}", v.Deliveries, DbType.Int32);
            command.AddParameter($"@c{i}", v.ClaimedAt, DbType.String);
            command.AddParameter($"@t{i}", v.SentAt, DbType.String);
            command.AddParameter($"@e{i}", v.LastError, DbType.String);
            command.AddParameter($"@x{i}", v.MarkedAt, DbType.String);
        }
        command.CommandText = $"""
            INSERT INTO nudges (interview_id, member_id, kind, due_at, interviewer, sequence, state, attempts, deliveries,
                                claimed_at, sent_at, last_error, marked_at)
            VALUES {values}
            RETURNING {Columns}
            """;
        List<Row> rows;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            rows = reader.Parse<Row>().ToList();

        // Neither database promises RETURNING rows in VALUES order (SQLite's documentation says outright the order is
        // arbitrary), and the schema has no unique key over a nudge's own columns (two reminders of one kind may share
        // interviewer and sequence), so each returned row is matched to an input by everything that was inserted.
        // Inputs equal in every column are interchangeable to every reader but the id; among those the ids are dealt
        // out in ascending order, so ids still rise in input order, as they did with one INSERT per nudge.
        var idsByValues = rows.OrderBy(r => r.Id)
            .GroupBy(r => r.Stored)
            .ToDictionary(g => g.Key, g => new Queue<long>(g.Select(r => r.Id)));
        var stored = new Nudge[chunk.Length];
        for (var i = 0; i < chunk.Length; i++)
        {
            // Anything else means the database changed a value on the way in; refusing (the caller's transaction then
            // rolls back) beats handing out an id that may belong to another nudge.
            if (!idsByValues.TryGetValue(inserted[i], out var ids) || !ids.TryDequeue(out var id))
                throw new InvalidOperationException("A stored nudge did not come back as inserted; nothing was stored.");
            stored[i] = chunk[i] with { Id = id };
        }
        if (idsByValues.Values.Any(ids => ids.Count > 0))
            throw new InvalidOperationException("The database returned more nudges than were inserted; nothing was stored.");
        return stored;
    }

    /// <summary>
    /// Applies the state changes in order, each exactly as <see cref="ChangeStateAsync"/> would, with one round trip
    /// per <see cref="ChangesPerBatch"/> changes; returns the ids of the nudges whose change applied, in change order.
    /// </summary>
    public static async Task<IReadOnlyList<long>> ChangeStatesAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<NudgeStateChange> changes, CancellationToken cancellationToken)
    {
        var changed = new List<long>();
        // A change from no state can never apply (and "IN ()" is not SQL).
        foreach (var chunk in changes.Where(c => c.From.Count > 0).Chunk(ChangesPerBatch))
        {
            // One statement per change, sent together: each runs after the one before, so later changes see earlier
            // ones as when sent one by one, and every statement yields a result (its id, or no row) in that order.
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder();
            for (var i = 0; i < chunk.Length; i++)
            {
                var change = chunk[i];
                sql.Append(CultureInfo.InvariantCulture, $"""
                    UPDATE nudges
                    SET state = @to{i},
                        due_at = COALESCE(@due{i}, due_at),
                        marked_at = COALESCE(@marked{i}, marked_at),
                        attempts = CASE WHEN @fresh{i} = 1 THEN 0 ELSE attempts END,
                        claimed_at = CASE WHEN @fresh{i} = 1 THEN NULL ELSE claimed_at END
                    WHERE id = @id{i} AND state IN {StoredValues.NameList(change.From.Select(s => s.Name()))}
                    RETURNING id;

                    """);
                command.AddParameter($"@id{i}", change.NudgeId, DbType.Int64);
                command.AddParameter($"@to{i}", change.To.Name(), DbType.String);
                command.AddParameter($"@due{i}", StoredValues.Time(change.DueAt), DbType.String);
                command.AddParameter($"@marked{i}", StoredValues.Time(change.MarkedAt), DbType.String);
                command.AddParameter($"@fresh{i}", StartsFreshAttempts(change.To) ? 1 : 0, DbType.Int32);
            }
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                    changed.Add(reader.GetInt64(0));
            } while (await reader.NextResultAsync(cancellationToken));
        }
        return changed;
    }

    private static void AddParameter(this DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Applies a state change if the nudge is in one of <paramref name="from"/>. Entering pending or snoozed
    /// starts a fresh round of send attempts.
    /// </summary>
    public static async Task<bool> ChangeStateAsync(DbConnection connection, DbTransaction? transaction, long nudgeId,
        IReadOnlyCollection<NudgeState> from, NudgeState to, DateTimeOffset? dueAt, CancellationToken cancellationToken)
    {
        if (from.Count == 0) return false;
        var changed = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE nudges
            SET state = @To,
                due_at = COALESCE(@DueAt, due_at),
                attempts = CASE WHEN @FreshAttempts = 1 THEN 0 ELSE attempts END,
                claimed_at = CASE WHEN @FreshAttempts = 1 THEN NULL ELSE claimed_at END
            WHERE id = @Id AND state IN {StoredValues.NameList(from.Select(s => s.Name()))}
            """, new
            {
                Id = nudgeId,
                To = to.Name(),
                DueAt = StoredValues.Time(dueAt),
                FreshAttempts = StartsFreshAttempts(to) ? 1 : 0,
            }, transaction, cancellationToken: cancellationToken));
        return changed > 0;
    }

    private static bool StartsFreshAttempts(NudgeState to) => to is NudgeState.Pending or NudgeState.Snoozed;

    /// <summary>A nudge's columns as the database stores them (all but the id).</summary>
    internal readonly record struct StoredNudge(long InterviewId, long MemberId, string Kind, string DueAt,
        string? Interviewer, int Sequence, string State, int Attempts, int Deliveries, string? ClaimedAt, string? SentAt,
        string? LastError, string? MarkedAt)
    {
        public static StoredNudge Of(Nudge n) => new(n.InterviewId, n.MemberId, n.Kind.Name(),
            StoredValues.Time(n.DueAt), n.Interviewer, n.Sequence, n.State.Name(), n.Attempts,
            n.Deliveries, StoredValues.Time(n.ClaimedAt), StoredValues.Time(n.SentAt),
            n.LastError, StoredValues.Time(n.MarkedAt));
    }

    internal sealed class Row
    {
        public long Id { get; set; }
        public long InterviewId { get; set; }
        public long MemberId { get; set; }
        public string Kind { get; set; } = "";
        public string DueAt { get; set; } = "";
        public string? Interviewer { get; set; }
        public int Sequence { get; set; }
        public string State { get; set; } = "";
        public int Attempts { get; set; }
        public int Deliveries { get; set; }
        public string? ClaimedAt { get; set; }
        public string? SentAt { get; set; }
        public string? LastError { get; set; }
        public string? MarkedAt { get; set; }
        public bool PossibleRepeat { get; set; }

        public StoredNudge Stored =>
            new(InterviewId, MemberId, Kind, DueAt, Interviewer, Sequence, State, Attempts, Deliveries, ClaimedAt, SentAt, LastError, MarkedAt);

        public Nudge ToNudge() => new(
            Id,
            InterviewId,
            MemberId,
            NudgeKinds.TryParse(Kind, out var kind) ? kind : throw new InvalidOperationException($"Nudge {Id} has an unknown kind '{Kind}'."),
            StoredValues.ParseTime(DueAt),
            Interviewer,
            Sequence,
            NudgeStates.Parse(State),
            Attempts,
            Deliveries,
            StoredValues.ParseOptionalTime(ClaimedAt),
            StoredValues.ParseOptionalTime(SentAt),
            LastError,
            StoredValues.ParseOptionalTime(MarkedAt),
            PossibleRepeat);
    }
}
