using System.Diagnostics;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Discord.Gateway;
using FollowUpBot.Platforms.Discord.Tests.Fakes;
using FollowUpBot.Storage;
using FollowUpBot.Storage.Migrations;
using FollowUpBot.Storage.Repositories;
using FollowUpBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>
/// Gateway instances without a pinned shard claim the shards through leases in the shared database, on the fake
/// Discord in real time with short leases (the defaults, 30 s renewed every 3 s, scale the same arithmetic).
/// </summary>
public sealed class ShardLeaseTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Shards = 2;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private FakeDiscord _discord = null!;
    private readonly List<IDisposable> _databases = [];
    private readonly List<AdapterHost> _hosts = [];

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        _discord.Gateway.ExpectedShardCount = Shards;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        await _discord.DisposeAsync();
        foreach (var database in _databases) database.Dispose();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task WhenTheHolderDiesASurvivorTakesOverItsShardsAndEveryGuildIsAnsweredAgainWithoutAShardEverHeldTwice(string provider)
    {
        var connectionString = await DatabaseAsync(provider);
        var instances = new List<(string Name, AdapterHost Host, SwitchableLeaseStore Leases)>();
        foreach (var name in new[] { "a", "b", "c" }) instances.Add(await StartAsync(name, provider, connectionString));
        await EventuallyAsync(() => instances.Sum(i => HeldBy(i.Host).Count) == Shards && _discord.Gateway.Identifies.Select(x => x.Shard).Distinct().Count() == Shards,
            "both shards connected");
        var guilds = Enumerable.Range(0, Shards).Select(s => Payloads.GuildOnShard(s, Shards)).ToList();
        await AnsweredAsync(guilds, instances.Select(i => i.Host).ToList());

        var victim = instances.First(i => HeldBy(i.Host).Contains(0));
        var victimShards = HeldBy(victim.Host);
        victim.Leases.Dead = true;
        _discord.Gateway.KillClient(victim.Name);
        var killed = Stopwatch.StartNew();
        var survivors = instances.Where(i => i != victim).Select(i => i.Host).ToList();

        await EventuallyAsync(() => victimShards.All(s => survivors.Any(h => HeldBy(h).Contains(s) && h.Get<DiscordShards>().Gateway(s)!.IsReady)),
            "the dead instance's shards taken over");
        await AnsweredAsync(guilds, survivors);
        var answeredAgain = killed.Elapsed;
        output.WriteLine($"{provider}: shard(s) {string.Join(", ", victimShards)} of the dead instance answered again after {answeredAgain.TotalSeconds:0.0} s " +
                         $"(lease {Duration.TotalSeconds} s, renewed every {Interval.TotalSeconds} s)");

        // Lease, then at most two intervals until it is claimed (the claimer may hold a shard), then connecting.
        Assert.True(answeredAgain < Duration + 3 * Interval + TimeSpan.FromSeconds(5), $"answered again only after {answeredAgain}");
        Assert.DoesNotContain(_discord.Gateway.ContestedIdentifies, c => c.Client != c.Holder);
        foreach (var survivor in survivors) Assert.DoesNotContain(survivor.Logs.Lines, l => l.Contains("4010"));
    }

    [Fact]
    public async Task AReturningInstanceTakesNoHeldShardAndStandsByHealthy()
    {
        // Leases long enough that a loaded machine's stalls never let one lapse: a lapsed lease is a free shard, which
        // the newcomer would rightly take.
        var duration = TimeSpan.FromSeconds(15);
        var connectionString = await DatabaseAsync("Sqlite");
        var a = await StartAsync("a", "Sqlite", connectionString, duration);
        var b = await StartAsync("b", "Sqlite", connectionString, duration);
        await EventuallyAsync(() => HeldBy(a.Host).Count + HeldBy(b.Host).Count == Shards, "both shards held");

        var returning = await StartAsync("c", "Sqlite", connectionString, duration);
        // Many rounds of the newcomer's: each reads the leases and finds every shard held.
        var seen = returning.Leases.Calls;
        await EventuallyAsync(() => returning.Leases.Calls >= seen + 8, "the newcomer's lease rounds");

        Assert.Empty(HeldBy(returning.Host));
        Assert.Equal(Shards, HeldBy(a.Host).Count + HeldBy(b.Host).Count);
        Assert.Empty(_discord.Gateway.ContestedIdentifies);
        Assert.DoesNotContain(_discord.Gateway.Identifies, i => i.Client == "c");
        var report = await returning.Host.Get<HealthCheckService>().CheckHealthAsync();
        var health = report.Entries["platform:discord"];
        output.WriteLine(health.Description);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Contains("standing by", health.Description);
    }

    [Fact]
    public async Task AnInstanceThatCannotRenewClosesItsConnectionBeforeAnotherCanTakeTheShard()
    {
        var connectionString = await DatabaseAsync("Sqlite");
        var a = await StartAsync("a", "Sqlite", connectionString);
        await EventuallyAsync(() => HeldBy(a.Host).Count == Shards, "both shards held by the only instance");
        var b = await StartAsync("b", "Sqlite", connectionString);

        // The database goes away for a alone; its gateway connections are still up.
        a.Leases.Failing = true;
        var cut = DateTime.UtcNow;
        await EventuallyAsync(() => HeldBy(b.Host).Count == Shards && HeldBy(b.Host).All(s => b.Host.Get<DiscordShards>().Gateway(s)!.IsReady),
            "b holding both shards");

        foreach (var shard in Enumerable.Range(0, Shards))
        {
            var closed = _discord.Gateway.Ends.Single(e => e.Client == "a" && e.Shard == shard);
            var taken = _discord.Gateway.Identifies.Single(i => i.Client == "b" && i.Shard == shard);
            output.WriteLine($"shard {shard}: a closed {(closed.At - cut).TotalSeconds:0.00} s after the cut, b identified {(taken.At - cut).TotalSeconds:0.00} s after");
            Assert.True(closed.At < taken.At, $"shard {shard}: a still connected when b identified");
        }
        Assert.Empty(_discord.Gateway.ContestedIdentifies);
        Assert.Contains(a.Host.Logs.Lines, l => l.Contains("could not be renewed in time"));
    }

    private static IReadOnlyList<int> HeldBy(AdapterHost host) => host.Get<DiscordShards>().Gateways.Select(g => g.ShardId).ToList();

    /// <summary>Every guild's `/interview list` reaches an engine of <paramref name="hosts"/> and gets its callback.</summary>
    private async Task AnsweredAsync(IReadOnlyList<string> guilds, IReadOnlyList<AdapterHost> hosts)
    {
        foreach (var guild in guilds)
        {
            var command = Payloads.Command("interview", "done", new Dictionary<string, JsonNode?> { ["company"] = "Acme" }, guildId: guild);
            var id = command["id"]!.GetValue<string>();
            await _discord.Gateway.InteractionAsync(command);
            await _discord.WaitForRequestAsync(r => r.Is("POST", $"interactions/{id}/"), $"the answer in guild {guild}", Patience);
            Assert.Contains(hosts, h => h.Engine.Events.Any(e => e.From.Key.Workspace == guild));
        }
    }

    private async Task<(string Name, AdapterHost Host, SwitchableLeaseStore Leases)> StartAsync(string name, string provider, string connectionString,
        TimeSpan? duration = null)
    {
        // Each instance its own connections, as separate processes would have.
        var leases = new SwitchableLeaseStore(new SqlLeaseStore(Connections(provider, connectionString)));
        var host = await AdapterHost.StartAsync(_discord, c =>
        {
            c["Discord:GatewayUrl"] = _discord.Gateway.UrlFor(name);
            c["Discord:ShardCount"] = Shards.ToString(System.Globalization.CultureInfo.InvariantCulture);
            c["Discord:ShardLeaseDuration"] = (duration ?? Duration).ToString();
            c["Discord:ShardLeaseRenewInterval"] = Interval.ToString();
        }, s => s.AddSingleton<ILeaseStore>(leases), waitForSession: false);
        _hosts.Add(host);
        return (name, host, leases);
    }

    private async Task<string> DatabaseAsync(string provider)
    {
        string connectionString;
        if (provider == "Postgres")
        {
            var schema = TempPostgresSchema.Create();
            _databases.Add(schema);
            connectionString = schema.ConnectionString;
        }
        else
        {
            var file = new TempDatabase();
            _databases.Add(file);
            connectionString = file.ConnectionString;
        }
        await new DatabaseMigrator(Connections(provider, connectionString), TimeProvider.System, NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        return connectionString;
    }

    private static IDbConnectionFactory Connections(string provider, string connectionString)
    {
        var options = Options.Create(new StorageOptions { Provider = Enum.Parse<StorageProvider>(provider), ConnectionString = connectionString });
        return provider == "Postgres" ? new PostgresConnectionFactory(options) : new SqliteConnectionFactory(options);
    }

    private async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}. Logs:\n" +
                    string.Join("\n", _hosts.SelectMany((h, i) => h.Logs.Lines.TakeLast(30).Select(l => $"[{i}] {l}"))));
            await Task.Delay(50);
        }
    }

    /// <summary>The lease store as one instance sees it: <see cref="Dead"/> hangs like a killed process, <see cref="Failing"/>
    /// throws like an unreachable database.</summary>
    private sealed class SwitchableLeaseStore(ILeaseStore inner) : ILeaseStore
    {
        public volatile bool Dead;
        public volatile bool Failing;
        private int _calls;

        /// <summary>How often the instance has used its leases: a signal that its rounds go on.</summary>
        public int Calls => Volatile.Read(ref _calls);

        public async Task<bool> TryAcquireAsync(string resource, string holder, DateTimeOffset now, TimeSpan duration, DateTimeOffset expiredBefore,
            CancellationToken cancellationToken)
        {
            await CheckAsync(cancellationToken);
            return await inner.TryAcquireAsync(resource, holder, now, duration, expiredBefore, cancellationToken);
        }

        public async Task ReleaseAsync(string resource, string holder, CancellationToken cancellationToken)
        {
            await CheckAsync(cancellationToken);
            await inner.ReleaseAsync(resource, holder, cancellationToken);
        }

        public async Task<IReadOnlyList<Lease>> ListAsync(string prefix, CancellationToken cancellationToken)
        {
            await CheckAsync(cancellationToken);
            return await inner.ListAsync(prefix, cancellationToken);
        }

        private async Task CheckAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Dead) await Task.Delay(Timeout.Infinite, cancellationToken);
            if (Failing) throw new InvalidOperationException("the database is unreachable (test)");
        }
    }
}
