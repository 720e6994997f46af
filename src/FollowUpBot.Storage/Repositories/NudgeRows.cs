using System.Data.Common;
using Dapper;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Storage.Repositories;

/// <summary>The nudges table as both repositories read and write it.</summary>
internal static class NudgeRows
{
    public const string Columns = """
        id AS Id, interview_id AS InterviewId, member_id AS MemberId, kind AS Kind, due_at AS DueAt,
        interviewer AS Interviewer, sequence AS Sequence, state AS State, attempts AS Attempts,
        deliveries AS Deliveries, claimed_at AS ClaimedAt, sent_at AS SentAt, last_error AS LastError
        """;

    /// <summary>The states a nudge waits in for its trigger, as a SQL list.</summary>
    public static readonly string ScheduledStates = StoredValues.NameList([NudgeState.Pending.Name(), NudgeState.Snoozed.Name()]);

    public static async Task<Nudge> InsertAsync(DbConnection connection, DbTransaction transaction, Nudge nudge,
        CancellationToken cancellationToken)
    {
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO nudges (interview_id, member_id, kind, due_at, interviewer, sequence, state, attempts, deliveries,
                                claimed_at, sent_at, last_error)
            VALUES (@InterviewId, @MemberId, @Kind, @DueAt, @Interviewer, @Sequence, @State, @Attempts, @Deliveries,
                    @ClaimedAt, @SentAt, @LastError)
            RETURNING id
            """, new
            {
                nudge.InterviewId,
                nudge.MemberId,
                Kind = nudge.Kind.Name(),
                DueAt = StoredValues.Time(nudge.DueAt),
                nudge.Interviewer,
                nudge.Sequence,
                State = nudge.State.Name(),
                nudge.Attempts,
                nudge.Deliveries,
                ClaimedAt = StoredValues.Time(nudge.ClaimedAt),
                SentAt = StoredValues.Time(nudge.SentAt),
                nudge.LastError,
            }, transaction, cancellationToken: cancellationToken));
        return nudge with { Id = id };
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
                FreshAttempts = to is NudgeState.Pending or NudgeState.Snoozed ? 1 : 0,
            }, transaction, cancellationToken: cancellationToken));
        return changed > 0;
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
            LastError);
    }
}
