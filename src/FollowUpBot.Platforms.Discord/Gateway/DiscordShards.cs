using System.Globalization;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Discord.Interactions;
using FollowUpBot.Platforms.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord.Gateway;

/// <summary>What this instance knows about the shard leases, for health.</summary>
/// <param name="ReadAt">When the leases were last read (null: never yet).</param>
/// <param name="Leases">The shard leases as read then.</param>
/// <param name="Problem">Why the last renewal or read failed, if it did.</param>
public sealed record ShardLeaseView(DateTimeOffset? ReadAt, IReadOnlyList<Lease> Leases, string? Problem);

/// <summary>
/// The gateway connections of this instance. With <see cref="DiscordOptions.ShardId"/> set (or no shared database,
/// e.g. the adapter alone), one connection for that shard (0 by default). Otherwise shard leases: every
/// <see cref="DiscordOptions.ShardLeaseRenewInterval"/> the instance renews the leases it holds and claims at most one
/// free shard, then connects it; an instance already holding k shards waits k more intervals before taking a free one,
/// so an idle instance gets it first. A held lease is never taken (no two connections for one shard, no 4010), and a
/// connection whose lease could not be renewed is closed one interval before the lease could expire.
/// </summary>
public sealed class DiscordShards
{
    public const string ResourcePrefix = "discord:shard:";

    private readonly DiscordRestClient _rest;
    private readonly InteractionHandler _interactions;
    private readonly DiscordApplication _application;
    private readonly FatalStop _fatal;
    private readonly TransportClock _transportClock;
    private readonly IOptions<DiscordOptions> _optionsAccessor;
    private readonly DiscordOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ILeaseStore? _leases;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly Dictionary<int, Held> _held = [];
    private readonly Dictionary<int, DateTimeOffset> _freeSince = [];
    private volatile ShardLeaseView _view = new(null, [], null);

    public DiscordShards(DiscordRestClient rest, InteractionHandler interactions, DiscordApplication application, FatalStop fatal,
        TransportClock transportClock, IOptions<DiscordOptions> options, ILoggerFactory loggers, IServiceProvider services)
    {
        _rest = rest;
        _interactions = interactions;
        _application = application;
        _fatal = fatal;
        _transportClock = transportClock;
        _optionsAccessor = options;
        _options = options.Value;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DiscordShards>();
        _leases = services.GetService<ILeaseStore>();
        _clock = transportClock.Time;
    }

    /// <summary>This process's name in the lease table: new at every start, so a restarted instance holds nothing.</summary>
    public string HolderId { get; } = string.Create(CultureInfo.InvariantCulture,
        $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");

    /// <summary>Whether shards are claimed through leases (else one pinned shard).</summary>
    public bool UsesLeases => _options.LeasesShards && _leases is not null;

    /// <summary>The shard a pinned instance connects as.</summary>
    public int PinnedShard => _options.ShardId ?? 0;

    /// <summary>The connections running now, by shard.</summary>
    public IReadOnlyList<DiscordGateway> Gateways
    {
        get { lock (_gate) return _held.Values.Where(h => !h.Stop.IsCancellationRequested).Select(h => h.Gateway).OrderBy(g => g.ShardId).ToList(); }
    }

    /// <summary>The connection of <paramref name="shard"/>, if this instance holds it.</summary>
    public DiscordGateway? Gateway(int shard)
    {
        lock (_gate) return _held.TryGetValue(shard, out var held) && !held.Stop.IsCancellationRequested ? held.Gateway : null;
    }

    /// <summary>The shard leases as last read (lease mode only).</summary>
    public ShardLeaseView LeaseView => _view;

    public static string Resource(int shard, int count) => string.Create(CultureInfo.InvariantCulture, $"{ResourcePrefix}{shard}/{count}");

    /// <summary>Runs the connections until <paramref name="stoppingToken"/> fires or a fatal close stops the bot.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!UsesLeases)
        {
            var held = Start(PinnedShard, DateTimeOffset.MaxValue, stoppingToken);
            await held.Run.ConfigureAwait(false);
            return;
        }
        _logger.LogInformation("Discord shards are claimed through leases as {Holder} ({Count} shard(s), lease {Duration}, renewed every {Interval})",
            HolderId, _options.ShardCount, _options.ShardLeaseDuration, _options.ShardLeaseRenewInterval);
        try
        {
            while (!stoppingToken.IsCancellationRequested && !_fatal.IsStopped)
            {
                var started = _clock.GetUtcNow();
                await TickAsync(started, stoppingToken).ConfigureAwait(false);
                var wait = started + _options.ShardLeaseRenewInterval - _clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAllAsync().ConfigureAwait(false);
        }
    }

    private async Task TickAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        var duration = _options.ShardLeaseDuration;
        var interval = _options.ShardLeaseRenewInterval;
        string? problem = null;

        // 1. Renew what is held; a lease found in other hands is given up at once.
        foreach (var held in Snapshot())
        {
            if (held.Stop.IsCancellationRequested)
            {
                // Its guard closed it (renewals failed for too long): forget it and let the lease run out.
                await ForgetAsync(held).ConfigureAwait(false);
                continue;
            }
            var (renewed, error) = await TryLeaseAsync(held.Gateway.ShardId, now, now, stoppingToken).ConfigureAwait(false);
            if (renewed == true) held.ValidUntil = now + duration - interval;
            else if (renewed == false)
            {
                _logger.LogWarning("Discord shard {Shard}'s lease is held by another instance now; closing this instance's connection", held.Gateway.ShardId);
                await StopAsync(held).ConfigureAwait(false);
            }
            else problem = error;
        }

        // 2. Read the leases (health, and which shards are free), then claim at most one free shard.
        IReadOnlyList<Lease>? leases = null;
        try
        {
            using var timeout = Timeout(stoppingToken);
            leases = await _leases!.ListAsync(ResourcePrefix, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            problem ??= Describe(e);
        }
        if (leases is not null)
        {
            var count = Snapshot().Count(h => !h.Stop.IsCancellationRequested);
            foreach (var shard in FreeShards(leases, now))
            {
                // An instance holding k shards leaves a free one to idle instances for k intervals.
                if (count > 0 && now - _freeSince[shard] < interval * count) continue;
                var (claimed, error) = await TryLeaseAsync(shard, now, now - interval * count, stoppingToken).ConfigureAwait(false);
                if (claimed == true)
                {
                    _logger.LogInformation("Discord shard {Shard} of {Count} claimed by {Holder}; connecting", shard, _options.ShardCount, HolderId);
                    Start(shard, now + duration - interval, stoppingToken);
                    break;
                }
                problem ??= error;
            }
        }
        _view = new ShardLeaseView(leases is null ? _view.ReadAt : now, leases ?? _view.Leases, problem);
    }

    /// <summary>Shards nobody holds now (never claimed, released, or expired), noting since when this instance sees them free.</summary>
    private List<int> FreeShards(IReadOnlyList<Lease> leases, DateTimeOffset now)
    {
        var byResource = leases.ToDictionary(l => l.Resource, StringComparer.Ordinal);
        var free = new List<int>();
        lock (_gate)
        {
            for (var shard = 0; shard < _options.ShardCount; shard++)
            {
                var isFree = !_held.ContainsKey(shard) &&
                             (!byResource.TryGetValue(Resource(shard, _options.ShardCount), out var lease) || lease.ExpiresAt < now);
                if (!isFree)
                {
                    _freeSince.Remove(shard);
                    continue;
                }
                _freeSince.TryAdd(shard, now);
                free.Add(shard);
            }
        }
        return free;
    }

    /// <summary>True: leased (until now + duration); false: another instance holds it; null: the store failed (error).</summary>
    private async Task<(bool? Leased, string? Error)> TryLeaseAsync(int shard, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken stoppingToken)
    {
        try
        {
            using var timeout = Timeout(stoppingToken);
            return (await _leases!.TryAcquireAsync(Resource(shard, _options.ShardCount), HolderId, now, _options.ShardLeaseDuration, expiredBefore,
                timeout.Token).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            _logger.LogWarning("Could not renew or claim Discord shard {Shard}'s lease: {Problem}", shard, Describe(e));
            return (null, Describe(e));
        }
    }

    /// <summary>A store call may take one renewal interval at most: a hung database must not hold up the guards' view.</summary>
    private CancellationTokenSource Timeout(CancellationToken stoppingToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        source.CancelAfter(_options.ShardLeaseRenewInterval);
        return source;
    }

    private static string Describe(Exception e) => e is OperationCanceledException ? "the database did not answer in time" : $"{e.GetType().Name}: {e.Message}";

    private List<Held> Snapshot()
    {
        lock (_gate) return _held.Values.ToList();
    }

    private Held Start(int shard, DateTimeOffset validUntil, CancellationToken stoppingToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var gateway = new DiscordGateway(shard, _rest, _interactions, _application, _fatal, _transportClock, _optionsAccessor,
            _loggers.CreateLogger<DiscordGateway>());
        var held = new Held(gateway, stop) { ValidUntil = validUntil };
        lock (_gate) _held[shard] = held;
        held.Run = Task.Run(() => gateway.RunAsync(stop.Token), CancellationToken.None);
        if (validUntil != DateTimeOffset.MaxValue) held.Guard = GuardAsync(held);
        return held;
    }

    /// <summary>
    /// Closes the connection when its lease is about to run out unrenewed (the database unreachable or too slow), before
    /// another instance could claim the shard: it closes at ValidUntil, one renewal interval before the expiry.
    /// </summary>
    private async Task GuardAsync(Held held)
    {
        try
        {
            while (!held.Stop.IsCancellationRequested)
            {
                var left = held.ValidUntil - _clock.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    _logger.LogError("Discord shard {Shard}'s lease could not be renewed in time ({Problem}); closing its connection so another instance can take it over",
                        held.Gateway.ShardId, _view.Problem ?? "no answer");
                    await held.Stop.CancelAsync().ConfigureAwait(false);
                    return;
                }
                await Task.Delay(left, _clock, held.Stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task StopAsync(Held held)
    {
        await held.Stop.CancelAsync().ConfigureAwait(false);
        await ForgetAsync(held).ConfigureAwait(false);
    }

    private async Task ForgetAsync(Held held)
    {
        try
        {
            await Task.WhenAll(held.Run, held.Guard).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }
        lock (_gate)
            if (_held.TryGetValue(held.Gateway.ShardId, out var current) && ReferenceEquals(current, held))
                _held.Remove(held.Gateway.ShardId);
        held.Stop.Dispose();
    }

    /// <summary>At a clean stop: close every connection, then give the leases back so a survivor takes over at once.</summary>
    private async Task StopAllAsync()
    {
        var all = Snapshot();
        foreach (var held in all) await held.Stop.CancelAsync().ConfigureAwait(false);
        foreach (var held in all)
        {
            await ForgetAsync(held).ConfigureAwait(false);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _leases!.ReleaseAsync(Resource(held.Gateway.ShardId, _options.ShardCount), HolderId, timeout.Token).ConfigureAwait(false);
                _logger.LogInformation("Discord shard {Shard}'s lease released", held.Gateway.ShardId);
            }
            catch (Exception e)
            {
                _logger.LogWarning("Could not release Discord shard {Shard}'s lease ({Problem}); it expires by itself", held.Gateway.ShardId, Describe(e));
            }
        }
    }

    private sealed class Held(DiscordGateway gateway, CancellationTokenSource stop)
    {
        public DiscordGateway Gateway { get; } = gateway;

        public CancellationTokenSource Stop { get; } = stop;

        public Task Run { get; set; } = Task.CompletedTask;

        public Task Guard { get; set; } = Task.CompletedTask;

        /// <summary>The connection may stay open until then; renewals push it on.</summary>
        public DateTimeOffset ValidUntil
        {
            get => new(Interlocked.Read(ref _validUntilTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _validUntilTicks, value.UtcTicks);
        }

        private long _validUntilTicks;
    }
}
