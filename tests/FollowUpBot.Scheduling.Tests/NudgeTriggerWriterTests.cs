using FollowUpBot.Core.Domain;
using FollowUpBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>The queue between the engine and Quartz: answers do not wait for it, and nothing in it is lost or reordered.</summary>
public sealed class NudgeTriggerWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task SchedulingReturnsBeforeTheJobStoreIsWritten()
    {
        var store = new GatedTriggerStore();
        using var writer = new NudgeTriggerWriter(store, NullLogger<NudgeTriggerWriter>.Instance);
        var scheduling = await StartWithAWriteHeldAsync(store, writer);

        Assert.True(scheduling.IsCompletedSuccessfully);
        Assert.Empty(store.Written);
        store.Open();
        await writer.FlushAsync(None);
        Assert.Equal([new ScheduledNudgeRow(1, T0)], store.AllScheduled);
        await writer.StopAsync(None);
    }

    [Fact]
    public async Task ChangesQueuedDuringAWriteGoTogetherAndTheLastChangeOfANudgeWins()
    {
        var store = new GatedTriggerStore();
        using var writer = new NudgeTriggerWriter(store, NullLogger<NudgeTriggerWriter>.Instance);
        await StartWithAWriteHeldAsync(store, writer);

        await writer.ScheduleAsync([NudgeDue(2, T0.AddHours(1)), NudgeDue(3, T0.AddHours(2))], None);
        await writer.UnscheduleAsync([3], None);   // cancelled before its trigger was ever written
        await writer.ScheduleAsync([NudgeDue(2, T0.AddHours(5))], None); // snoozed
        await writer.UnscheduleAsync([4], None);
        store.Open();
        await writer.FlushAsync(None);

        // Two writes after the first (removals, then the one surviving schedule), not five.
        Assert.Equal(3, store.Written.Count);
        Assert.Equal([new ScheduledNudgeRow(1, T0)], store.Written[0].Scheduled);
        Assert.Equal([3L, 4L], store.Written[1].Unscheduled.Order());
        Assert.Equal([new ScheduledNudgeRow(2, T0.AddHours(5))], store.Written[2].Scheduled);
        await writer.StopAsync(None);
    }

    [Fact]
    public async Task AFailedWriteIsTriedAgainAndAFlushWaitsForIt()
    {
        var store = new GatedTriggerStore { FailuresLeft = 1 };
        using var writer = new NudgeTriggerWriter(store, NullLogger<NudgeTriggerWriter>.Instance);
        await writer.StartAsync(None);

        await writer.ScheduleAsync([NudgeDue(7, T0)], None);
        await writer.FlushAsync(None);

        Assert.Equal(2, store.Calls);
        Assert.Equal([new ScheduledNudgeRow(7, T0)], store.AllScheduled);
        await writer.StopAsync(None);
    }

    [Fact]
    public async Task StoppingWritesWhatIsQueuedAndLaterChangesGoStraightThrough()
    {
        var store = new GatedTriggerStore();
        using var writer = new NudgeTriggerWriter(store, NullLogger<NudgeTriggerWriter>.Instance);
        await StartWithAWriteHeldAsync(store, writer);
        await writer.ScheduleAsync([NudgeDue(2, T0)], None);

        var stopping = writer.StopAsync(None);
        Assert.False(stopping.IsCompleted); // it waits for the queue, not just the write under way
        store.Open();
        await stopping;
        Assert.Equal([1L, 2L], store.AllScheduled.Select(r => r.Id));

        // A job finishing during the scheduler's own shutdown may still reschedule its nudge.
        store.Close();
        var late = writer.ScheduleAsync([NudgeDue(3, T0)], None);
        Assert.False(late.IsCompleted);
        store.Open();
        await late;
        Assert.Equal([1L, 2L, 3L], store.AllScheduled.Select(r => r.Id));
    }

    [Fact]
    public async Task AStopThatRunsOutOfTimeLeavesTheRestToTheReconcilerInsteadOfHanging()
    {
        var store = new GatedTriggerStore();
        using var writer = new NudgeTriggerWriter(store, NullLogger<NudgeTriggerWriter>.Instance);
        await StartWithAWriteHeldAsync(store, writer); // the database has stopped answering
        await writer.ScheduleAsync([NudgeDue(2, T0)], None);
        var flush = writer.FlushAsync(None);

        using var hostGivesUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await writer.StopAsync(hostGivesUp.Token);

        // Nothing was written and nothing waits forever; the rows are still pending, so the next start's
        // reconciliation gives them their triggers (ReconcilerAddsMissingTriggersAndRemovesStrayOnes).
        Assert.Empty(store.Written);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>Starts the writer and holds the store shut while it writes nudge 1 (due at T0); returns the
    /// scheduling call's task.</summary>
    private static async Task<Task> StartWithAWriteHeldAsync(GatedTriggerStore store, NudgeTriggerWriter writer)
    {
        await writer.StartAsync(None);
        store.Close();
        var scheduling = writer.ScheduleAsync([NudgeDue(1, T0)], None);
        await store.WaitForCallsAsync(1);
        return scheduling;
    }

    private static Nudge NudgeDue(long id, DateTimeOffset dueAt) =>
        new(id, 1, 1, NudgeKind.HoldOff, dueAt, null, 0, NudgeState.Pending);

    /// <summary>One call the writer made to the job store.</summary>
    private sealed record StoreCall(IReadOnlyList<ScheduledNudgeRow> Scheduled, IReadOnlyList<long> Unscheduled);

    /// <summary>A job store that records each write and can be held shut, so a write can be caught under way.</summary>
    private sealed class GatedTriggerStore : INudgeTriggerStore
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource _open = Opened();
        private int _calls;

        /// <summary>The calls that went through, in order.</summary>
        public List<StoreCall> Written { get; } = [];

        public IEnumerable<ScheduledNudgeRow> AllScheduled => Written.SelectMany(w => w.Scheduled);

        public int FailuresLeft { get; set; }

        /// <summary>Calls begun, including one held at the gate or failed.</summary>
        public int Calls => Volatile.Read(ref _calls);

        public void Close()
        {
            lock (_lock) _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Open()
        {
            lock (_lock) _open.TrySetResult();
        }

        public async Task WaitForCallsAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Calls < count)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"The store was called {Calls} times, not {count}.");
                await Task.Delay(10);
            }
        }

        public Task UnscheduleAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken) =>
            WriteAsync(new StoreCall([], nudgeIds.ToList()), cancellationToken);

        public Task ScheduleAsync(IReadOnlyCollection<ScheduledNudgeRow> nudges, CancellationToken cancellationToken) =>
            WriteAsync(new StoreCall(nudges.ToList(), []), cancellationToken);

        private async Task WriteAsync(StoreCall call, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Task open;
            lock (_lock) open = _open.Task;
            await open.WaitAsync(cancellationToken);
            lock (_lock)
            {
                if (FailuresLeft > 0)
                {
                    FailuresLeft--;
                    throw new InvalidOperationException("database is locked");
                }
                Written.Add(call);
            }
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}
