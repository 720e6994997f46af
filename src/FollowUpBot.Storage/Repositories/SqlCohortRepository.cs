using Dapper;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

public sealed class SqlCohortRepository(IDbConnectionFactory connections) : ICohortRepository
{
    private const string Columns = """
        c.id AS Id, c.name AS Name, c.platform AS Platform, c.workspace AS Workspace, c.channel_id AS ChannelId,
        c.coach_member_id AS CoachMemberId, c.join_code AS JoinCode, c.time_zone AS TimeZone, c.digest_schedule AS DigestSchedule,
        c.created_at AS CreatedAt, c.last_digest_at AS LastDigestAt
        """;

    private const string MembershipColumns = """
        m.cohort_id AS CohortId, m.member_id AS MemberId, m.visibility AS Visibility, m.display_name AS DisplayName, m.joined_at AS JoinedAt
        """;

    public async Task<Cohort?> TryAddAsync(Cohort cohort, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // A write transaction so a redelivered /cohort create (its instance died before answering) finds the key the
        // first delivery committed with its cohort, and creates no second one; a join code already taken rolls the
        // key back with the row, for the caller's next try.
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO cohorts (name, platform, workspace, channel_id, coach_member_id, join_code, time_zone, digest_schedule, created_at, last_digest_at)
                VALUES (@Name, @Platform, @Workspace, @ChannelId, @CoachMemberId, @JoinCode, @TimeZone, @DigestSchedule, @CreatedAt, @LastDigestAt)
                RETURNING id
                """, CohortRow.Parameters(cohort), transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return cohort with { Id = id };
        }
        catch (Exception e) when (SqlDialect.For(connections.Provider).IsUniqueViolation(e, "join_code"))
        {
            return null;
        }
    }

    public async Task<Cohort?> GetAsync(long cohortId, CancellationToken cancellationToken) =>
        (await QueryAsync("c.id = @cohortId", new { cohortId }, cancellationToken)).SingleOrDefault();

    public async Task<Cohort?> FindByJoinCodeAsync(string joinCode, CancellationToken cancellationToken) =>
        (await QueryAsync("c.join_code = @joinCode", new { joinCode }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Cohort>> ListByCoachAsync(long coachMemberId, CancellationToken cancellationToken) =>
        QueryAsync("c.coach_member_id = @coachMemberId", new { coachMemberId }, cancellationToken, "LOWER(c.name)");

    public Task<IReadOnlyList<Cohort>> ListAllAsync(CancellationToken cancellationToken) =>
        QueryAsync("1 = 1", null, cancellationToken);

    public async Task UpdateAsync(Cohort cohort, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE cohorts SET name = @Name, channel_id = @ChannelId, time_zone = @TimeZone, digest_schedule = @DigestSchedule
            WHERE id = @Id
            """, CohortRow.Parameters(cohort), cancellationToken: cancellationToken));
        if (updated == 0) throw new InvalidOperationException($"Cohort {cohort.Id} does not exist.");
    }

    public async Task SaveMembershipAsync(CohortMembership membership, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO cohort_memberships (cohort_id, member_id, visibility, display_name, joined_at)
            VALUES (@CohortId, @MemberId, @Visibility, @DisplayName, @JoinedAt)
            ON CONFLICT (cohort_id, member_id) DO UPDATE SET visibility = excluded.visibility, display_name = excluded.display_name
            """, new
        {
            membership.CohortId,
            membership.MemberId,
            Visibility = membership.Visibility.Name(),
            membership.DisplayName,
            JoinedAt = StoredValues.Time(membership.JoinedAt),
        }, cancellationToken: cancellationToken));
    }

    public async Task<bool> RemoveMembershipAsync(long cohortId, long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM cohort_memberships WHERE cohort_id = @cohortId AND member_id = @memberId",
            new { cohortId, memberId }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<CohortMembership>> ListMembershipsAsync(long cohortId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MembershipRow>(new CommandDefinition(
            $"SELECT {MembershipColumns} FROM cohort_memberships m WHERE m.cohort_id = @cohortId ORDER BY m.member_id",
            new { cohortId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToMembership()).ToList();
    }

    public async Task<IReadOnlyList<CohortMemberActivity>> ReadActivityAsync(long cohortId, CancellationToken cancellationToken)
    {
        const string inCohort = "SELECT member_id FROM cohort_memberships WHERE cohort_id = @cohortId";
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Four statements, one round trip: a cohort of 500 costs the same four reads as a cohort of 5 (instead of a few
        // per member), which is what keeps a 500-member web page and digest fast.
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition($"""
            SELECT {MembershipColumns} FROM cohort_memberships m WHERE m.cohort_id = @cohortId ORDER BY m.member_id;
            SELECT {SqlMemberRepository.Columns} FROM members WHERE id IN ({inCohort});
            SELECT {SqlInterviewRepository.Columns} FROM interviews WHERE member_id IN ({inCohort}) ORDER BY member_id, number;
            SELECT {NudgeRows.Columns} FROM nudges WHERE interview_id IN (
                SELECT id FROM interviews WHERE member_id IN ({inCohort})
                AND (outcome IS NULL OR outcome IN {SqlInterviewRepository.OpenOutcomes}))
            ORDER BY due_at, id;
            """, new { cohortId }, cancellationToken: cancellationToken));
        var memberships = (await results.ReadAsync<MembershipRow>()).Select(r => r.ToMembership()).ToList();
        var members = (await results.ReadAsync<SqlMemberRepository.MemberRow>()).Select(r => r.ToMember()).ToDictionary(m => m.Id);
        var interviews = (await results.ReadAsync<SqlInterviewRepository.InterviewRow>()).Select(r => r.ToInterview())
            .ToLookup(i => i.MemberId);
        var nudges = (await results.ReadAsync<NudgeRows.Row>()).Select(r => r.ToNudge()).ToLookup(n => n.MemberId);
        return memberships
            .Where(m => members.ContainsKey(m.MemberId))
            .Select(m => new CohortMemberActivity(m, members[m.MemberId], interviews[m.MemberId].ToList(), nudges[m.MemberId].ToList()))
            .ToList();
    }

    public async Task<IReadOnlyList<(Cohort Cohort, CohortMembership Membership)>> ListJoinedAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CohortRow, MembershipRow, (Cohort, CohortMembership)>(new CommandDefinition(
            $"SELECT {Columns}, {MembershipColumns} FROM cohort_memberships m JOIN cohorts c ON c.id = m.cohort_id " +
            "WHERE m.member_id = @memberId ORDER BY LOWER(c.name)",
            new { memberId }, cancellationToken: cancellationToken),
            (c, m) => (c.ToCohort(), m.ToMembership()), splitOn: "CohortId");
        return rows.ToList();
    }

    public async Task<bool> TryStartDigestAsync(long cohortId, string runKey, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO digest_runs (run_key, cohort_id, started_at)
            SELECT @runKey, @cohortId, @at WHERE EXISTS (SELECT 1 FROM cohorts WHERE id = @cohortId)
            ON CONFLICT (run_key) DO NOTHING
            """, new { runKey, cohortId, at = StoredValues.Time(at) }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task CompleteDigestAsync(long cohortId, string runKey, bool posted, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);
        var values = new { runKey, cohortId, posted, at = StoredValues.Time(at) };
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE digest_runs SET finished_at = @at, posted = @posted WHERE run_key = @runKey", values, transaction,
            cancellationToken: cancellationToken));
        if (posted)
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cohorts SET last_digest_at = @at WHERE id = @cohortId", values, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<Cohort>> QueryAsync(string where, object? parameters, CancellationToken cancellationToken, string orderBy = "c.id")
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CohortRow>(new CommandDefinition(
            $"SELECT {Columns} FROM cohorts c WHERE {where} ORDER BY {orderBy}", parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToCohort()).ToList();
    }

    private sealed class CohortRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Platform { get; set; } = "";
        public string Workspace { get; set; } = "";
        public string ChannelId { get; set; } = "";
        public long CoachMemberId { get; set; }
        public string JoinCode { get; set; } = "";
        public string TimeZone { get; set; } = "";
        public string DigestSchedule { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? LastDigestAt { get; set; }

        public Cohort ToCohort() => new(Id, Name, Platform, Workspace, ChannelId, CoachMemberId, JoinCode, TimeZone, DigestSchedule,
            StoredValues.ParseTime(CreatedAt), StoredValues.ParseOptionalTime(LastDigestAt));

        public static object Parameters(Cohort c) => new
        {
            c.Id, c.Name, c.Platform, c.Workspace, c.ChannelId, c.CoachMemberId, c.JoinCode, TimeZone = c.TimeZoneId, c.DigestSchedule,
            CreatedAt = StoredValues.Time(c.CreatedAt), LastDigestAt = StoredValues.Time(c.LastDigestAt),
        };
    }

    private sealed class MembershipRow
    {
        public long CohortId { get; set; }
        public long MemberId { get; set; }
        public string Visibility { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string JoinedAt { get; set; } = "";

        public CohortMembership ToMembership()
        {
            CohortVisibilities.TryParse(Visibility, out var visibility);
            return new CohortMembership(CohortId, MemberId, visibility, DisplayName, StoredValues.ParseTime(JoinedAt));
        }
    }
}
