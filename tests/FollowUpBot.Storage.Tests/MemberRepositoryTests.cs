using FollowUpBot.Testing;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Storage.Tests;

public sealed class MemberRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, OnSqlite, OnPostgres]
    public async Task SavedMemberRoundTrips(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = new Member(0, new MemberKey("discord", "guild-1", "42"), "America/New_York",
            new QuietHours(new TimeOnly(22, 30), new TimeOnly(7, 0)), true, TestStore.T0, TestStore.T0.AddHours(1),
            TestStore.T0.AddHours(2), true);

        var saved = await store.Members.SaveAsync(member, None);

        Assert.NotEqual(0, saved.Id);
        Assert.Equal(member with { Id = saved.Id }, saved);
        Assert.Equal(saved, await store.Members.FindAsync(new MemberKey("discord", "guild-1", "42"), None));
        Assert.Equal(saved, await store.Members.GetAsync(saved.Id, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task HolidayCountryRoundTripsAndNullMeansTheCommunityDefault(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        Assert.Null(member.HolidayCountry);

        var british = await store.Members.SaveAsync(member with { HolidayCountry = "GB" }, None);
        Assert.Equal("GB", (await store.Members.GetAsync(member.Id, None))!.HolidayCountry);
        var none = await store.Members.SaveAsync(british with { HolidayCountry = Member.NoHolidays }, None);
        Assert.Equal(Member.NoHolidays, (await store.Reopen().Members.GetAsync(member.Id, None))!.HolidayCountry);
        await store.Members.SaveAsync(none with { HolidayCountry = null }, None);
        Assert.Null((await store.Members.GetAsync(member.Id, None))!.HolidayCountry);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SecondInsertOfTheSameKeyReturnsTheFirstRow(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var first = await store.AddMemberAsync("same");
        var second = await store.Members.SaveAsync(first with { Id = 0, TimeZoneId = "Asia/Tokyo" }, None);

        Assert.Equal(first, second);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task UpdateChangesSettingsButNotIdentity(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var changed = member with
        {
            TimeZoneId = "Asia/Tokyo", QuietHours = new QuietHours(new TimeOnly(23, 0), new TimeOnly(6, 0)),
            TimeZoneSetByMember = true, UnreachableSince = TestStore.T0, UnreachableNoticePending = true,
        };

        var saved = await store.Members.SaveAsync(changed, None);

        Assert.Equal(changed, saved);
        Assert.Equal(changed, await store.Members.GetAsync(member.Id, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task UnknownMemberIsNotFound(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        Assert.Null(await store.Members.GetAsync(99, None));
        Assert.Null(await store.Members.FindAsync(new MemberKey("console", "local", "nobody"), None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SavingAMemberWhoseRowWasDeletedFailsAndCreatesNoRow(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var ghost = member with { Id = member.Id + 1000 };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Members.SaveAsync(ghost, None));

        Assert.Contains($"Member {ghost.Id} does not exist", failure.Message);
        Assert.Null(await store.Members.GetAsync(ghost.Id, None));
        Assert.Equal(member, await store.Members.GetAsync(member.Id, None));
    }
}
