using System.Data.Common;
using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

public sealed class SqlInterviewRepository(IDbConnectionFactory connections) : IInterviewRepository
{
    internal const string Columns = """
        id AS Id, member_id AS MemberId, number AS Number, company AS Company, role AS Role,
        interviewers AS Interviewers, format AS Format, ended_at AS EndedAt, decision_date AS DecisionDate,
        follow_up_invited AS FollowUpInvited, reference_names AS ReferenceNames, notes AS Notes,
        created_at AS CreatedAt, outcome AS Outcome, outcome_at AS OutcomeAt,
        follow_ups_logged AS FollowUpsLogged, last_follow_up_at AS LastFollowUpAt,
        COALESCE(process_id, id) AS ProcessId, round_number AS Round, next_round_at AS NextRoundAt,
        offer_deadline AS OfferDeadline, open_questions AS OpenQuestions, follow_up_times AS FollowUpTimes
        """;

    public async Task<(Interview Interview, IReadOnlyList<Nudge> Nudges)> AddAsync(
        Interview interview, IReadOnlyList<Nudge> nudges, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);

        // Touching the member's row first takes its write lock (a row lock on PostgreSQL, the database's on SQLite),
        // so two interviews reported at once by one member take turns and get distinct numbers. Both statements go in
        // one round trip; the INSERT is a statement of its own, so on PostgreSQL (read committed) it reads the
        // numbers with a snapshot taken after the lock was granted, including an interview committed meanwhile.
        var values = InterviewRow.Parameters(interview);
        var key = await connection.QuerySingleAsync<StoredKey>(new CommandDefinition("""
            UPDATE members SET last_active_at = last_active_at WHERE id = @MemberId;
            INSERT INTO interviews (member_id, number, company, role, interviewers, format, ended_at, decision_date,
                                    follow_up_invited, reference_names, notes, created_at, outcome, outcome_at,
                                    follow_ups_logged, last_follow_up_at, process_id, round_number, next_round_at,
                                    offer_deadline, open_questions, follow_up_times)
            SELECT @MemberId, COALESCE(MAX(number), 0) + 1, @Company, @Role, @Interviewers, @Format, @EndedAt, @DecisionDate,
                   @FollowUpInvited, @ReferenceNames, @Notes, @CreatedAt, @Outcome, @OutcomeAt,
                   @FollowUpsLogged, @LastFollowUpAt, @ProcessId, @Round, @NextRoundAt, @OfferDeadline, @OpenQuestions,
                   @FollowUpTimes
            FROM interviews WHERE member_id = @MemberId
            RETURNING id AS Id, number AS Number
            """, values, transaction, cancellationToken: cancellationToken));
        var stored = interview with { Id = key.Id, Number = key.Number, ProcessId = interview.ProcessId == 0 ? key.Id : interview.ProcessId };

        var storedNudges = await NudgeRows.InsertAsync(connection, transaction,
            nudges.Select(n => n with { InterviewId = key.Id, MemberId = interview.MemberId }).ToList(), cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return (stored, storedNudges);
    }

    public async Task<Interview?> GetAsync(long interviewId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InterviewRow>(new CommandDefinition(
            $"SELECT {Columns} FROM interviews WHERE id = @interviewId", new { interviewId }, cancellationToken: cancellationToken));
        return row?.ToInterview();
    }

    public async Task<Interview?> FindByNumberAsync(long memberId, int number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InterviewRow>(new CommandDefinition(
            $"SELECT {Columns} FROM interviews WHERE member_id = @memberId AND number = @number",
            new { memberId, number }, cancellationToken: cancellationToken));
        return row?.ToInterview();
    }

    public async Task<IReadOnlyList<Interview>> ListAsync(long memberId, bool openOnly, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var sql = $"SELECT {Columns} FROM interviews WHERE member_id = @memberId"
            + (openOnly ? $" AND (outcome IS NULL OR outcome IN {OpenOutcomes})" : "")
            + " ORDER BY number";
        var rows = await connection.QueryAsync<InterviewRow>(new CommandDefinition(sql, new { memberId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToInterview()).ToList();
    }

    /// <summary>The outcomes that leave a round's process open (a stage that is not closed).</summary>
    internal static readonly string OpenOutcomes = StoredValues.NameList(
        Enum.GetValues<Outcome>().Where(o => !ProcessStages.Of(o).IsClosed()).Select(o => o.Name()));

    public async Task<NudgeChangeResult> UpdateAsync(Interview interview, NudgeChanges changes, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);

        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE interviews
            SET company = @Company, role = @Role, interviewers = @Interviewers, format = @Format, ended_at = @EndedAt,
                decision_date = @DecisionDate, follow_up_invited = @FollowUpInvited, reference_names = @ReferenceNames,
                notes = @Notes, outcome = @Outcome, outcome_at = @OutcomeAt, follow_ups_logged = @FollowUpsLogged,
                last_follow_up_at = @LastFollowUpAt, next_round_at = @NextRoundAt, offer_deadline = @OfferDeadline,
                open_questions = @OpenQuestions, follow_up_times = @FollowUpTimes
            WHERE id = @Id
            """, InterviewRow.Parameters(interview), transaction, cancellationToken: cancellationToken));
        // Disposing the transaction uncommitted rolls everything back: nothing is stored half-way.
        if (updated == 0) throw new InvalidOperationException($"Interview {interview.Id} does not exist.");

        var added = await NudgeRows.InsertAsync(connection, transaction,
            changes.Add.Select(n => n with { InterviewId = interview.Id, MemberId = interview.MemberId }).ToList(),
            cancellationToken);
        var changed = await NudgeRows.ChangeStatesAsync(connection, transaction, changes.Change, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return new NudgeChangeResult(added, changed);
    }

    public async Task<IReadOnlyList<long>> DeleteAsync(long interviewId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);
        var nudgeIds = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM nudges WHERE interview_id = @interviewId ORDER BY id", new { interviewId }, transaction,
            cancellationToken: cancellationToken))).ToList();
        // Nudges and their delivery records go with the interview (ON DELETE CASCADE).
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM interviews WHERE id = @interviewId", new { interviewId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return nudgeIds;
    }

    private sealed class StoredKey
    {
        public long Id { get; set; }
        public int Number { get; set; }
    }

    internal sealed class InterviewRow
    {
        public long Id { get; set; }
        public long MemberId { get; set; }
        public int Number { get; set; }
        public string Company { get; set; } = "";
        public string? Role { get; set; }
        public string Interviewers { get; set; } = "[]";
        public string Format { get; set; } = "";
        public string EndedAt { get; set; } = "";
        public string? DecisionDate { get; set; }
        public bool FollowUpInvited { get; set; }
        public string ReferenceNames { get; set; } = "[]";
        public string? Notes { get; set; }
        public string CreatedAt { get; set; } = "";
        public string? Outcome { get; set; }
        public string? OutcomeAt { get; set; }
        public int FollowUpsLogged { get; set; }
        public string? LastFollowUpAt { get; set; }
        public long ProcessId { get; set; }
        public int Round { get; set; }
        public string? NextRoundAt { get; set; }
        public string? OfferDeadline { get; set; }
        public string OpenQuestions { get; set; } = "[]";
        public string FollowUpTimes { get; set; } = "[]";

        public Interview ToInterview() => new(
            Id,
            MemberId,
            Number,
            Company,
            Role,
            StoredValues.ParseList(Interviewers),
            StoredValues.ParseName<InterviewFormat>(Format),
            StoredValues.ParseTime(EndedAt),
            StoredValues.ParseDate(DecisionDate),
            FollowUpInvited,
            StoredValues.ParseList(ReferenceNames),
            Notes,
            StoredValues.ParseTime(CreatedAt),
            Outcome is null ? null : Outcomes.Parse(Outcome),
            StoredValues.ParseOptionalTime(OutcomeAt),
            FollowUpsLogged,
            StoredValues.ParseOptionalTime(LastFollowUpAt))
        {
            ProcessId = ProcessId,
            Round = Round,
            NextRoundAt = StoredValues.ParseOptionalTime(NextRoundAt),
            OfferDeadline = StoredValues.ParseDate(OfferDeadline),
            OpenQuestions = StoredValues.ParseList(OpenQuestions).Select(StoredValues.ParseName<DetailQuestion>).ToList(),
            FollowUpTimes = StoredValues.ParseList(FollowUpTimes).Select(StoredValues.ParseTime).ToList(),
        };

        public static object Parameters(Interview i) => new
        {
            i.Id,
            i.MemberId,
            i.Number,
            i.Company,
            i.Role,
            Interviewers = StoredValues.List(i.Interviewers),
            Format = StoredValues.Name(i.Format),
            EndedAt = StoredValues.Time(i.EndedAt),
            DecisionDate = StoredValues.Date(i.DecisionDate),
            i.FollowUpInvited,
            ReferenceNames = StoredValues.List(i.References),
            i.Notes,
            CreatedAt = StoredValues.Time(i.CreatedAt),
            Outcome = i.Outcome is { } o ? o.Name() : null,
            OutcomeAt = StoredValues.Time(i.OutcomeAt),
            i.FollowUpsLogged,
            LastFollowUpAt = StoredValues.Time(i.LastFollowUpAt),
            // A first round stores no process id: it is its own process (read back as its id).
            ProcessId = i.ProcessId == 0 || i.ProcessId == i.Id ? (long?)null : i.ProcessId,
            i.Round,
            NextRoundAt = StoredValues.Time(i.NextRoundAt),
            OfferDeadline = StoredValues.Date(i.OfferDeadline),
            OpenQuestions = StoredValues.List(i.OpenQuestions.Select(q => StoredValues.Name(q)).ToList()),
            FollowUpTimes = StoredValues.List(i.FollowUpTimes.Select(StoredValues.Time).ToList()),
        };
    }
}
