namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>
/// Counts 401/403/429 answers (Discord bans an IP that collects too many) and holds requests back once a
/// minute's allowance is used up, so a bug or a wave of closed DMs cannot get the bot banned.
/// </summary>
public sealed class InvalidRequestGuard(TimeProvider clock, int perMinute)
{
    private readonly object _gate = new();
    private readonly Queue<DateTimeOffset> _invalid = new();

    /// <summary>How long to hold back, or null to go ahead.</summary>
    public TimeSpan? HoldBack()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            Trim(now);
            return _invalid.Count < perMinute ? null : _invalid.Peek() + TimeSpan.FromMinutes(1) - now;
        }
    }

    public void Record(int status, bool sharedScope)
    {
        if (status is not (401 or 403 or 429) || sharedScope) return;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            Trim(now);
            _invalid.Enqueue(now);
        }
    }

    private void Trim(DateTimeOffset now)
    {
        while (_invalid.Count > 0 && now - _invalid.Peek() >= TimeSpan.FromMinutes(1)) _invalid.Dequeue();
    }
}
