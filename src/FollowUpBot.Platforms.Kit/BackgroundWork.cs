using System.Collections.Concurrent;

namespace FollowUpBot.Platforms.Kit;

/// <summary>
/// Work an adapter lets run after it answered the platform (the ack must go out in time, the rest follows), tracked
/// until done so a stop can wait for it instead of cutting a member's answer off.
/// </summary>
public sealed class BackgroundWork
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <summary>How many pieces of work are still running.</summary>
    public int Count => _running.Count;

    /// <summary>Starts <paramref name="work"/> on the thread pool and tracks it.</summary>
    public Task<T> Run<T>(Func<Task<T>> work)
    {
        var task = Task.Run(work);
        Track(task);
        return task;
    }

    /// <summary>Starts <paramref name="work"/> on the thread pool and tracks it.</summary>
    public Task Run(Func<Task> work)
    {
        var task = Task.Run(work);
        Track(task);
        return task;
    }

    /// <summary>Tracks a task already running until it ends, however it ends.</summary>
    public void Track(Task task)
    {
        _running[task] = 0;
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when everything running now has ended (their failures are the owners' to log, not thrown here).</summary>
    public async Task DrainAsync()
    {
        try
        {
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Each piece of work logs its own failure; draining only waits.
        }
    }
}
