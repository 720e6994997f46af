using Dapper;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

public sealed class SqlFormDraftRepository(IDbConnectionFactory connections) : IFormDraftRepository
{
    public async Task<IReadOnlyDictionary<string, string>?> FindAsync(long memberId, string formId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT field_values FROM form_drafts WHERE member_id = @memberId AND form_id = @formId",
            new { memberId, formId }, cancellationToken: cancellationToken));
        return json is null ? null : StoredValues.ParseMap(json);
    }

    public async Task SaveAsync(long memberId, string formId, IReadOnlyDictionary<string, string> values, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO form_drafts (member_id, form_id, field_values, updated_at) VALUES (@memberId, @formId, @values, @at)
            ON CONFLICT (member_id, form_id) DO UPDATE SET field_values = excluded.field_values, updated_at = excluded.updated_at
            """, new { memberId, formId, values = StoredValues.Map(values), at = StoredValues.Time(at) },
            cancellationToken: cancellationToken));
    }

    public async Task DeleteAsync(long memberId, string formId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM form_drafts WHERE member_id = @memberId AND form_id = @formId", new { memberId, formId },
            cancellationToken: cancellationToken));
    }
}
