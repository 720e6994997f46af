using FollowUpBot.Core.Ports;

namespace FollowUpBot.Testing;

/// <summary>Web view links and sessions, with the SQL store's semantics (hashes only; a link redeems once).</summary>
public sealed partial class InMemoryRepositories : IDashboardAccessRepository
{
    private readonly Dictionary<string, (long Coach, DateTimeOffset ExpiresAt, bool Used)> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Coach, DateTimeOffset ExpiresAt)> _sessions = new(StringComparer.Ordinal);

    public int DashboardSessionCount { get { lock (_gate) return _sessions.Count; } }

    public Task AddLinkAsync(string tokenHash, long coachMemberId, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            foreach (var key in _links.Where(l => l.Value.ExpiresAt < createdAt).Select(l => l.Key).ToList()) _links.Remove(key);
            foreach (var key in _sessions.Where(s => s.Value.ExpiresAt < createdAt).Select(s => s.Key).ToList()) _sessions.Remove(key);
            _links.Add(tokenHash, (coachMemberId, expiresAt, false));
            return Task.CompletedTask;
        }
    }

    public Task<long?> RedeemLinkAsync(string tokenHash, string sessionHash, DateTimeOffset now, DateTimeOffset sessionExpiresAt,
        CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!_links.TryGetValue(tokenHash, out var link) || link.Used || link.ExpiresAt <= now) return Task.FromResult<long?>(null);
            _links[tokenHash] = link with { Used = true };
            _sessions[sessionHash] = (link.Coach, sessionExpiresAt);
            return Task.FromResult<long?>(link.Coach);
        }
    }

    public Task<long?> FindSessionAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_sessions.TryGetValue(sessionHash, out var session) && session.ExpiresAt > now && _members.ContainsKey(session.Coach)
                ? session.Coach
                : (long?)null);
        }
    }

    public Task EndSessionAsync(string sessionHash, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sessions.Remove(sessionHash);
            return Task.CompletedTask;
        }
    }
}
