using Dapper;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

/// <summary>
/// The primary key decides: of two instances inserting the same id, one inserts a row and the other none, whatever
/// the interleaving (ON CONFLICT DO NOTHING is atomic on both databases).
/// </summary>
public sealed class SqlHandledInteractions(IDbConnectionFactory connections) : IHandledInteractions
{
    public async Task<bool> TryClaimAsync(string platform, string interactionId, DateTimeOffset now, DateTimeOffset forgetBefore,
        CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM handled_interactions WHERE handled_at < @before",
            new { before = forgetBefore.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO handled_interactions (platform, interaction_id, handled_at) VALUES (@platform, @interactionId, @at)
            ON CONFLICT (platform, interaction_id) DO NOTHING
            """, new { platform, interactionId, at = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return inserted == 1;
    }
}
