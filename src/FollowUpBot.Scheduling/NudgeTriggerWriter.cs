using System.Threading.Channels;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Scheduling;

/// <summary>
/// The bot's <see cref="INudgeScheduler"/>: takes trigger changes off the member's answer path and writes them
/// moments later, in batches. Through Quartz's API a trigger costs about six statements under its store lock (some
/// 40 ms for one interview's ten triggers on PostgreSQL; <see cref="QuartzNudgeScheduler"/> now writes a batch's new
/// ones as rows in one statement pair), and the answer does not need them: the nudge rows, committed before any
/// change reaches here, are the truth. Changes queued while one batch is written go together in the next, the
/// last change of a nudge winning. A crash before a write leaves pending nudges without triggers, which the
/// reconciler gives them at the next start and every ReconcileInterval. Once stopping, changes go straight through.
/// With a <see cref="ISchedulingWindow"/> (the bot's <see cref="NudgeHorizon"/>), only nudges due within it get a
/// trigger; a change to one beyond it writes nothing, and removes a trigger only where a read shows one (a nudge moved
/// out of the window, or cancelled inside it): changes to far-future nudges touch only their rows.
/// </summary>
public sealed class NudgeTriggerWriter(INudgeTriggerStore store, ILogger<NudgeTriggerWriter> logger, ISchedulingWindow? window = null)
    : INudgeScheduler, IHostedService, IDisposable
{
    // Each batch is one job-store transaction under Quartz's trigger lock, which the firing thread also needs: on
    // PostgreSQL a hundred triggers hold it about 0.2 s, short enough not to make a due nudge late.
    private const int BatchSize = 100;

    // Real time, not the bot's TimeProvider: these wait for the database to come back, and a simulated clock
    // standing still in a test must not hold every later write.
    private static readonly TimeSpan[] RetryDelays = new Core.Transport.Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(16)).Steps(5);

    /// <summary>A trigger to write (<paramref name="DueAt"/> set) or remove (null), or a flush marker.</summary>
    private readonly record struct Change(long NudgeId, DateTimeOffset? DueAt, TaskCompletionSource? Flushed);

    // Not SingleReader: that channel cannot count what it holds, and the backlog is reported on a stop that gives up.
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _abandon = new();
    private bool _closed;
    private bool _disposed;
    private Task? _writing;

    /// <summary>Changes waiting to be written.</summary>
    public int Backlog => _changes.Reader.Count;

    public Task ScheduleAsync(IReadOnlyCollection<Nudge> nudges, CancellationToken cancellationToken)
    {
        if (nudges.Count == 0) return Task.CompletedTask;
        return TryQueue(nudges.Select(n => new Change(n.Id, n.DueAt, null)))
            ? Task.CompletedTask
            : ApplyAsync(nudges.GroupBy(n => n.Id).ToDictionary(g => g.Key, g => (DateTimeOffset?)g.Last().DueAt), cancellationToken);
    }

    public Task UnscheduleAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken)
    {
        if (nudgeIds.Count == 0) return Task.CompletedTask;
        return TryQueue(nudgeIds.Select(id => new Change(id, null, null)))
            ? Task.CompletedTask
            : ApplyAsync(nudgeIds.Distinct().ToDictionary(id => id, _ => (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>Completes once every change queued before the call has been written (or given up on).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return TryQueue([new Change(0, null, flushed)]) ? flushed.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_closed) _writing ??= Task.Run(() => WriteAllAsync(_abandon.Token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>Writes what is queued, then lets later changes through directly; gives up when the host's stop times out.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? writing;
        lock (_gate)
        {
            _closed = true;
            _changes.Writer.TryComplete();
            writing = _writing;
        }
        if (writing is null) return;
        try
        {
            await writing.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Stopped with {Count} nudge trigger changes unwritten; the reconciler makes them at the next start", Backlog);
            await _abandon.CancelAsync();
        }
    }

    // The container may dispose this more than once: it is resolved as itself, as the scheduler and as a hosted service.
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _closed = true;
            _changes.Writer.TryComplete();
        }
        _abandon.Cancel();
        _abandon.Dispose();
    }

    private bool TryQueue(IEnumerable<Change> changes)
    {
        lock (_gate)
        {
            if (_closed) return false;
            foreach (var change in changes) _changes.Writer.TryWrite(change);
            return true;
        }
    }

    private async Task WriteAllAsync(CancellationToken abandon)
    {
        var reader = _changes.Reader;
        var batch = new Dictionary<long, DateTimeOffset?>();
        var flushes = new List<TaskCompletionSource>();
        try
        {
            // Ends when StopAsync has closed the queue and everything in it is written.
            while (await reader.WaitToReadAsync(abandon))
            {
                while (batch.Count < BatchSize && reader.TryRead(out var change))
                {
                    if (change.Flushed is { } flushed) flushes.Add(flushed);
                    else batch[change.NudgeId] = change.DueAt;
                }
                if (batch.Count > 0) await WriteAsync(batch, abandon);
                batch.Clear();
                foreach (var flushed in flushes) flushed.TrySetResult();
                flushes.Clear();
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            foreach (var flushed in flushes) flushed.TrySetCanceled(abandon);
            while (reader.TryRead(out var change)) change.Flushed?.TrySetCanceled(abandon);
        }
    }

    /// <summary>Writes one batch: triggers for the nudges due within the window, removals for the rest where a trigger exists.</summary>
    private async Task ApplyAsync(IReadOnlyDictionary<long, DateTimeOffset?> batch, CancellationToken cancellationToken)
    {
        var schedule = new List<ScheduledNudgeRow>();
        var remove = new List<long>();
        foreach (var (nudgeId, dueAt) in batch)
        {
            if (dueAt is { } due && (window?.Holds(due) ?? true)) schedule.Add(new ScheduledNudgeRow(nudgeId, due));
            else remove.Add(nudgeId);
        }
        if (remove.Count > 0 && window is not null) remove = (await store.WithTriggersAsync(remove, cancellationToken)).ToList();
        if (remove.Count > 0) await store.UnscheduleAsync(remove, cancellationToken);
        if (schedule.Count > 0) await store.ScheduleAsync(schedule, cancellationToken);
    }

    private async Task WriteAsync(Dictionary<long, DateTimeOffset?> batch, CancellationToken abandon)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ApplyAsync(batch, abandon);
                return;
            }
            catch (Exception e) when (!abandon.IsCancellationRequested)
            {
                if (attempt == RetryDelays.Length)
                {
                    // The rows are still pending, so nothing is lost: the reconciler's next pass writes them.
                    logger.LogError(e, "Gave up writing {Count} nudge trigger changes; the reconciler will", batch.Count);
                    return;
                }
                logger.LogWarning(e, "Writing {Count} nudge trigger changes failed; retrying in {Delay}", batch.Count, RetryDelays[attempt]);
                await Task.Delay(RetryDelays[attempt], abandon);
            }
        }
    }
}
