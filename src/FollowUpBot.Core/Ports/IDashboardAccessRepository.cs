namespace FollowUpBot.Core.Ports;

/// <summary>
/// One-time links to the coaches' web view and the browser sessions they open. Only hashes of the tokens are
/// stored (see <see cref="Dashboard.DashboardTokens"/>), never the tokens.
/// </summary>
public interface IDashboardAccessRepository
{
    /// <summary>Stores a new link; drops links and sessions that expired before <paramref name="createdAt"/>.</summary>
    Task AddLinkAsync(string tokenHash, long coachMemberId, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Marks an unused, unexpired link used and opens a session for its coach, in one transaction; the claim is one
    /// conditional UPDATE, so of two instances redeeming the same link at once exactly one succeeds. Returns the
    /// coach's member id, or null (unknown, expired or already used: nothing is stored).
    /// </summary>
    Task<long?> RedeemLinkAsync(string tokenHash, string sessionHash, DateTimeOffset now, DateTimeOffset sessionExpiresAt,
        CancellationToken cancellationToken);

    /// <summary>The coach of a session that has not expired at <paramref name="now"/>, or null.</summary>
    Task<long?> FindSessionAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken);

    Task EndSessionAsync(string sessionHash, CancellationToken cancellationToken);
}
