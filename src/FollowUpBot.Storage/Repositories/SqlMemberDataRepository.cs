using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

/// <summary>
/// Deletion of a member's data and retention. Each runs in one transaction: the ids of what goes are read and the
/// rows deleted inside it, so the removal reported is exactly the removal made.
/// </summary>
public sealed class SqlMemberDataRepository(IDbConnectionFactory connections) : IMemberDataRepository
{
    public async Task<MemberDataRemoval> DeleteMemberAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);
        var p = new { memberId };
        CommandDefinition Sql(string sql) => new(sql, p, transaction, cancellationToken: cancellationToken);

        var nudgeIds = (await connection.QueryAsync<long>(Sql(
            "SELECT id FROM nudges WHERE member_id = @memberId OR interview_id IN (SELECT id FROM interviews WHERE member_id = @memberId) ORDER BY id")))
            .ToList();
        var cohortIds = (await connection.QueryAsync<long>(Sql("SELECT id FROM cohorts WHERE coach_member_id = @memberId ORDER BY id"))).ToList();
        var memberships = await connection.ExecuteAsync(Sql("DELETE FROM cohort_memberships WHERE member_id = @memberId"));
        var drafts = await connection.ExecuteAsync(Sql("DELETE FROM form_drafts WHERE member_id = @memberId"));
        // Explicit deletes rather than relying on cascades alone, so the counts are exact and nothing depends on
        // the foreign-key pragma being on; deliveries go with their nudges, memberships and runs with cohorts.
        await connection.ExecuteAsync(Sql("DELETE FROM deliveries WHERE nudge_id IN (SELECT id FROM nudges WHERE member_id = @memberId)"));
        await connection.ExecuteAsync(Sql("DELETE FROM nudges WHERE member_id = @memberId OR interview_id IN (SELECT id FROM interviews WHERE member_id = @memberId)"));
        var interviews = await connection.ExecuteAsync(Sql("DELETE FROM interviews WHERE member_id = @memberId"));
        await connection.ExecuteAsync(Sql("DELETE FROM digest_runs WHERE cohort_id IN (SELECT id FROM cohorts WHERE coach_member_id = @memberId)"));
        await connection.ExecuteAsync(Sql("DELETE FROM cohort_memberships WHERE cohort_id IN (SELECT id FROM cohorts WHERE coach_member_id = @memberId)"));
        await connection.ExecuteAsync(Sql("DELETE FROM cohorts WHERE coach_member_id = @memberId"));
        var member = await connection.ExecuteAsync(Sql("DELETE FROM members WHERE id = @memberId"));
        await transaction.CommitAsync(cancellationToken);
        return new MemberDataRemoval(member > 0, interviews, nudgeIds, memberships, cohortIds, drafts);
    }

    public async Task<RetentionRemoval> DeleteInterviewsClosedBeforeAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginWriteAsync(cancellationToken);
        var p = new { cutoff = StoredValues.Time(closedBefore) };
        // A process goes whole: every round of one whose latest round ended it (an offer counts, a year on) before the
        // cutoff. Only a process's latest round can carry such an outcome, so a process still going is never touched.
        var ended = StoredValues.NameList(Enum.GetValues<Outcome>().Where(o => o.EndsTheRound()).Select(o => o.Name()));
        var roots = $"SELECT COALESCE(process_id, id) FROM interviews WHERE outcome IN {ended} AND outcome_at < @cutoff";
        var closed = $"SELECT id FROM interviews WHERE id IN ({roots}) OR process_id IN ({roots})";
        CommandDefinition Sql(string sql) => new(sql, p, transaction, cancellationToken: cancellationToken);

        var nudgeIds = (await connection.QueryAsync<long>(Sql($"SELECT id FROM nudges WHERE interview_id IN ({closed}) ORDER BY id"))).ToList();
        await connection.ExecuteAsync(Sql($"DELETE FROM deliveries WHERE nudge_id IN (SELECT id FROM nudges WHERE interview_id IN ({closed}))"));
        await connection.ExecuteAsync(Sql($"DELETE FROM nudges WHERE interview_id IN ({closed})"));
        var interviews = await connection.ExecuteAsync(Sql($"DELETE FROM interviews WHERE id IN ({closed})"));
        await transaction.CommitAsync(cancellationToken);
        return new RetentionRemoval(interviews, nudgeIds);
    }
}
