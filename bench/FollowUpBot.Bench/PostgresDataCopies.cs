using Dapper;
using Npgsql;

namespace FollowUpBot.Bench;

/// <summary>
/// Multiplies a PostgreSQL data set the bot wrote (members, interviews, nudges and their Quartz triggers) by copying
/// every row in SQL with shifted ids, so that start-up can be measured at 100,000 members without writing a million
/// Quartz triggers one by one. The copies are exact apart from ids, user ids and the nudge id in each trigger's name.
/// </summary>
internal static class PostgresDataCopies
{
    public static async Task<(long Members, long PendingNudges, long Triggers)> MultiplyAsync(string connectionString, int copies,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (m, i, n) = await connection.QuerySingleAsync<(long, long, long)>(
            "SELECT (SELECT MAX(id) FROM members), (SELECT MAX(id) FROM interviews), (SELECT MAX(id) FROM nudges)", transaction: transaction);
        var shifts = new Dictionary<string, Dictionary<string, string>>
        {
            ["members"] = new() { ["id"] = $"t.id + k * {m}", ["user_id"] = "t.user_id || '-' || k" },
            ["interviews"] = new() { ["id"] = $"t.id + k * {i}", ["member_id"] = $"t.member_id + k * {m}" },
            ["nudges"] = new() { ["id"] = $"t.id + k * {n}", ["interview_id"] = $"t.interview_id + k * {i}", ["member_id"] = $"t.member_id + k * {m}" },
            // A nudge trigger's name is all that says which nudge it fires (it carries no job data).
            ["qrtz_triggers"] = new() { ["trigger_name"] = $"'nudge-' || (SUBSTR(t.trigger_name, 7)::bigint + k * {n})" },
            ["qrtz_simple_triggers"] = new() { ["trigger_name"] = $"'nudge-' || (SUBSTR(t.trigger_name, 7)::bigint + k * {n})" },
        };
        foreach (var (table, overrides) in shifts)
        {
            var columns = (await connection.QueryAsync<string>(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position",
                new { table }, transaction)).ToList();
            var filter = table.StartsWith("qrtz_", StringComparison.Ordinal) ? "WHERE t.trigger_group = 'nudges'" : "";
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {table} ({string.Join(", ", columns)}) " +
                $"SELECT {string.Join(", ", columns.Select(c => overrides.TryGetValue(c, out var e) ? e : "t." + c))} " +
                $"FROM {table} t CROSS JOIN generate_series(1, {copies - 1}) k {filter}",
                transaction: transaction, commandTimeout: 3600, cancellationToken: cancellationToken));
        }
        foreach (var table in new[] { "members", "interviews", "nudges" })
            await connection.ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))", transaction: transaction);
        await transaction.CommitAsync(cancellationToken);
        foreach (var table in shifts.Keys)
            await new NpgsqlCommand($"ANALYZE {table}", connection) { CommandTimeout = 3600 }.ExecuteNonQueryAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long, long)>(
            "SELECT (SELECT COUNT(*) FROM members), (SELECT COUNT(*) FROM nudges WHERE state IN ('pending', 'snoozed')), " +
            "(SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = 'nudges')");
    }
}
