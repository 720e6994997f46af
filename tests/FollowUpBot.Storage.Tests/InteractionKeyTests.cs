using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Storage.Repositories;
using FollowUpBot.Testing;

namespace FollowUpBot.Storage.Tests;

/// <summary>An interaction's key commits with its effects: a redelivery finds both or neither.</summary>
public sealed class InteractionKeyTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = TestStore.T0;

    [Theory, OnSqlite, OnPostgres]
    public async Task ARedeliveryOfAnInteractionWhoseEffectsCommittedIsRefusedAndWritesNothing(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        using (InteractionKey.Enter("slack", "trigger:1", T0))
        {
            await store.Interviews.AddAsync(TestStore.NewInterview(member.Id), [TestStore.NewNudge(NudgeKind.Debrief, T0)], None);
            // The same flow may commit more than once (an answer that re-plans): its own key does not stop it.
            await store.Interviews.AddAsync(TestStore.NewInterview(member.Id) with { Company = "Globex" }, [], None);
        }

        // Another instance (its own connections) gets the redelivery.
        var other = store.Reopen();
        Assert.True(await new SqlHandledInteractions(other.Connections).IsHandledAsync("slack", "trigger:1", None));
        using (InteractionKey.Enter("slack", "trigger:1", T0.AddSeconds(4)))
            await Assert.ThrowsAsync<InteractionAlreadyHandledException>(() =>
                other.Interviews.AddAsync(TestStore.NewInterview(member.Id), [TestStore.NewNudge(NudgeKind.Debrief, T0)], None));

        Assert.Equal(2, (await store.Interviews.ListAsync(member.Id, openOnly: false, None)).Count);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ARedeliveredCohortCreateIsRefusedAndAJoinCodeRetryUnderTheSameKeyIsNot(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");
        Assert.NotNull(await store.Cohorts.TryAddAsync(Cohort(coach.Id, "TAKEN1", "Spring"), None));
        using (InteractionKey.Enter("slack", "trigger:cohort", T0))
        {
            // The engine's next try after a join code already taken runs under the same key: the failed insert left none.
            Assert.Null(await store.Cohorts.TryAddAsync(Cohort(coach.Id, "TAKEN1", "Fall"), None));
            Assert.NotNull(await store.Cohorts.TryAddAsync(Cohort(coach.Id, "FRESH2", "Fall"), None));
        }

        var other = store.Reopen();
        using (InteractionKey.Enter("slack", "trigger:cohort", T0.AddSeconds(4)))
            await Assert.ThrowsAsync<InteractionAlreadyHandledException>(() => other.Cohorts.TryAddAsync(Cohort(coach.Id, "OTHER3", "Fall"), None));

        Assert.Equal(["Fall", "Spring"], (await store.Cohorts.ListByCoachAsync(coach.Id, None)).Select(c => c.Name).Order());

        static Cohort Cohort(long coachId, string code, string name) =>
            new(0, name, "slack", "T1", "C1", coachId, code, "Europe/Berlin", "mon 09:00", T0);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AMembersRetryUnderANewKeyRunsAgainAndAFlowWithoutAKeyRecordsNothing(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        using (InteractionKey.Enter("slack", "trigger:1", T0))
            await store.Interviews.AddAsync(TestStore.NewInterview(member.Id), [], None);

        using (InteractionKey.Enter("slack", "trigger:2", T0.AddSeconds(30)))
            await store.Interviews.AddAsync(TestStore.NewInterview(member.Id), [], None);
        await store.Interviews.AddAsync(TestStore.NewInterview(member.Id), [], None);

        Assert.Equal(3, (await store.Interviews.ListAsync(member.Id, openOnly: false, None)).Count);
        var handled = new SqlHandledInteractions(store.Connections);
        Assert.True(await handled.IsHandledAsync("slack", "trigger:2", None));
        Assert.False(await handled.IsHandledAsync("slack", "trigger:3", None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AnInteractionWhoseTransactionRolledBackLeavesNoKeySoItsRedeliveryRuns(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        using (InteractionKey.Enter("slack", "trigger:1", T0))
            // No such member: the insert fails and the transaction, key included, rolls back (the instance "died").
            await Assert.ThrowsAnyAsync<Exception>(() => store.Interviews.AddAsync(TestStore.NewInterview(member.Id + 1000), [], None));

        var handled = new SqlHandledInteractions(store.Connections);
        Assert.False(await handled.IsHandledAsync("slack", "trigger:1", None));
        using (InteractionKey.Enter("slack", "trigger:1", T0.AddSeconds(4)))
            await store.Interviews.AddAsync(TestStore.NewInterview(member.Id), [], None);
        Assert.Single(await store.Interviews.ListAsync(member.Id, openOnly: false, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task TwoDeliveriesRacingOnTwoInstancesCommitOnce(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => store.Reopen()).ToList();

        var outcomes = await Task.WhenAll(instances.Select(instance => Task.Run(async () =>
        {
            using var key = InteractionKey.Enter("slack", "trigger:race", T0);
            try
            {
                await instance.Interviews.AddAsync(TestStore.NewInterview(member.Id), [TestStore.NewNudge(NudgeKind.Debrief, T0)], None);
                return true;
            }
            catch (InteractionAlreadyHandledException)
            {
                return false;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o));
        Assert.Single(await store.Interviews.ListAsync(member.Id, openOnly: false, None));
    }
}
