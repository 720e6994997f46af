using FollowUpBot.Storage.Repositories;
using FollowUpBot.Testing;

namespace FollowUpBot.Storage.Tests;

public sealed class HandledInteractionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Theory, OnSqlite, OnPostgres]
    public async Task AnInteractionIdIsClaimedOnceAcrossInstances(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        // Two instances: each its own connection factory over the same database.
        var first = new SqlHandledInteractions(store.Connections);
        var second = new SqlHandledInteractions(store.Reopen().Connections);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? first : second).TryClaimAsync("discord", "1234", T0, T0.AddMinutes(-10), CancellationToken.None)));

        Assert.Equal(1, claims.Count(c => c));
        Assert.True(await first.TryClaimAsync("discord", "5678", T0, T0.AddMinutes(-10), CancellationToken.None));
        Assert.True(await first.TryClaimAsync("slack", "1234", T0, T0.AddMinutes(-10), CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task IdsOlderThanTheWindowAreForgotten(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var handled = new SqlHandledInteractions(store.Connections);
        await handled.TryClaimAsync("discord", "1", T0, T0.AddMinutes(-10), CancellationToken.None);

        var later = T0.AddMinutes(11);
        Assert.True(await handled.TryClaimAsync("discord", "1", later, later.AddMinutes(-10), CancellationToken.None));
    }
}
