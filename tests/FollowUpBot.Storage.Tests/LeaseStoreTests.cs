using FollowUpBot.Storage.Repositories;
using FollowUpBot.Testing;

namespace FollowUpBot.Storage.Tests;

public sealed class LeaseStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private const string Shard = "discord:shard:0/2";

    private static Task<bool> Acquire(SqlLeaseStore store, string holder, DateTimeOffset now, DateTimeOffset? expiredBefore = null, string resource = Shard) =>
        store.TryAcquireAsync(resource, holder, now, Duration, expiredBefore ?? now, CancellationToken.None);

    [Theory, OnSqlite, OnPostgres]
    public async Task AFreeLeaseIsClaimedByExactlyOneOfSeveralInstancesRacingForIt(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var instances = Enumerable.Range(0, 3).Select(_ => new SqlLeaseStore(store.Reopen().Connections)).ToList();

        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Acquire(instances[i % 3], $"instance-{i}", T0)));

        Assert.Equal(1, claims.Count(c => c));
        var lease = Assert.Single(await instances[0].ListAsync("discord:shard:", CancellationToken.None));
        Assert.Equal($"instance-{Array.IndexOf(claims, true)}", lease.Holder);
        Assert.Equal(T0 + Duration, lease.ExpiresAt);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task TheHolderRenewsItsLeaseAndMovesItsExpiry(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var leases = new SqlLeaseStore(store.Connections);
        Assert.True(await Acquire(leases, "a", T0));

        Assert.True(await Acquire(leases, "a", T0.AddSeconds(3)));

        Assert.Equal(T0.AddSeconds(33), Assert.Single(await leases.ListAsync("discord:", CancellationToken.None)).ExpiresAt);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AHeldLeaseIsRefusedToAnotherInstanceUntilItExpires(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var leases = new SqlLeaseStore(store.Connections);
        Assert.True(await Acquire(leases, "a", T0));

        Assert.False(await Acquire(leases, "b", T0.AddSeconds(1)));
        Assert.False(await Acquire(leases, "b", T0 + Duration - TimeSpan.FromMilliseconds(1)));

        Assert.Equal("a", Assert.Single(await leases.ListAsync("discord:", CancellationToken.None)).Holder);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AnExpiredLeaseIsTakenOverAndItsFormerHolderCannotRenewIt(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var leases = new SqlLeaseStore(store.Connections);
        Assert.True(await Acquire(leases, "a", T0));

        var after = T0 + Duration + TimeSpan.FromMilliseconds(1);
        Assert.True(await Acquire(leases, "b", after));

        Assert.False(await Acquire(leases, "a", after.AddSeconds(1)));
        Assert.Equal("b", Assert.Single(await leases.ListAsync("discord:", CancellationToken.None)).Holder);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AnInstanceThatAsksForAnEarlierExpiryLeavesAFreshlyExpiredLeaseToOthers(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var leases = new SqlLeaseStore(store.Connections);
        Assert.True(await Acquire(leases, "a", T0));
        var justExpired = T0 + Duration + TimeSpan.FromSeconds(1);

        // "b" already holds a shard: it waits three more seconds past the expiry before it would take this one too.
        Assert.False(await Acquire(leases, "b", justExpired, expiredBefore: justExpired.AddSeconds(-3)));
        Assert.True(await Acquire(leases, "c", justExpired));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AReleasedLeaseIsFreeAtOnceAndOnlyItsHolderCanReleaseIt(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var leases = new SqlLeaseStore(store.Connections);
        Assert.True(await Acquire(leases, "a", T0));

        await leases.ReleaseAsync(Shard, "b", CancellationToken.None);
        Assert.False(await Acquire(leases, "b", T0.AddSeconds(1)));

        await leases.ReleaseAsync(Shard, "a", CancellationToken.None);
        Assert.True(await Acquire(leases, "b", T0.AddSeconds(1)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AListNamesOnlyTheResourcesUnderItsPrefixAndALeaseForGoodNeverExpires(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var leases = new SqlLeaseStore(store.Connections);
        Assert.True(await Acquire(leases, "a", T0, resource: "discord:shard:1/2"));
        Assert.True(await leases.TryAcquireAsync("discord:commands:1:ab_c%", "a", T0, TimeSpan.MaxValue, T0, CancellationToken.None));

        Assert.Equal(["discord:shard:1/2"], (await leases.ListAsync("discord:shard:", CancellationToken.None)).Select(l => l.Resource));
        Assert.False(await Acquire(leases, "b", T0.AddYears(50), resource: "discord:commands:1:ab_c%"));
        Assert.Empty(await leases.ListAsync("discord:commands:1:ab_%x", CancellationToken.None));
    }
}
