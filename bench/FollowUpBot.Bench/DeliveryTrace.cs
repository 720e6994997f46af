using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using FollowUpBot.Core.Ports;
using FollowUpBot.Scheduling;
using FollowUpBot.Storage;
using FollowUpBot.Storage.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace FollowUpBot.Bench;

/// <summary>
/// Where a delivered nudge's time goes (FOLLOWUPBOT_BENCH_TRACE=1): the bot's repositories and connection factory are
/// wrapped so that every call is counted and timed, and a job listener notes when Quartz hands each nudge's firing to a
/// thread and when the job returns. With the platform's receive time that splits lateness into Quartz (due -> job
/// started), the dispatcher before the send (job started -> DM received) and after it (DM received -> job done).
/// </summary>
internal sealed class DeliveryTrace : IJobListener
{
    public static bool On => Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_TRACE") == "1";

    private readonly ConcurrentDictionary<string, (long Calls, long Ticks)> _calls = new();
    private readonly ConcurrentDictionary<long, DateTimeOffset> _started = new();
    private readonly ConcurrentDictionary<long, DateTimeOffset> _finished = new();

    public string Name => "bench-trace";

    /// <summary>Wraps the nudge, interview and member repositories and the connection factory (call from BotSetup.Services).</summary>
    public void Register(IServiceCollection services)
    {
        // The real factory is the one the composition registered (a factory method); ours wraps what it builds.
        var original = services.Last(d => d.ServiceType == typeof(IDbConnectionFactory));
        services.AddSingleton(sp => Timed((IDbConnectionFactory)original.ImplementationFactory!(sp)));
        services.AddSingleton(sp => Timed<INudgeRepository>(ActivatorUtilities.CreateInstance<SqlNudgeRepository>(sp)));
        services.AddSingleton(sp => Timed<IInterviewRepository>(ActivatorUtilities.CreateInstance<SqlInterviewRepository>(sp)));
        services.AddSingleton(sp => Timed<IMemberRepository>(ActivatorUtilities.CreateInstance<SqlMemberRepository>(sp)));
    }

    public async Task AttachAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(cancellationToken);
        scheduler.ListenerManager.AddJobListener(this);
    }

    public void Reset()
    {
        _calls.Clear();
        _started.Clear();
        _finished.Clear();
    }

    /// <summary>The split of each delivered nudge's lateness, and every call made meanwhile.</summary>
    public void Print(string label, IReadOnlyDictionary<long, (DateTimeOffset Due, DateTimeOffset Received)> delivered)
    {
        var quartz = new List<double>();
        var before = new List<double>();
        var after = new List<double>();
        foreach (var (id, (due, received)) in delivered)
        {
            if (!_started.TryGetValue(id, out var started) || !_finished.TryGetValue(id, out var finished)) continue;
            quartz.Add((started - due).TotalMilliseconds);
            before.Add((received - started).TotalMilliseconds);
            after.Add((finished - received).TotalMilliseconds);
        }
        Console.WriteLine($"trace {label}: {quartz.Count} nudges traced");
        foreach (var (name, sample) in new[] { ("due -> job started", quartz), ("job started -> DM", before), ("DM -> job done", after) })
        {
            sample.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-20} median {Percentiles.Of(sample, 50),8:F1} ms  p99 {Percentiles.Of(sample, 99),8:F1} ms  mean {(sample.Count == 0 ? 0 : sample.Average()),8:F1} ms"));
        }
        foreach (var (call, (calls, ticks)) in _calls.OrderByDescending(c => c.Value.Ticks))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {call,-50} {calls,6} calls  {TimeSpan.FromTicks(ticks).TotalMilliseconds / Math.Max(calls, 1),8:F2} ms each  {TimeSpan.FromTicks(ticks).TotalMilliseconds,9:F0} ms in all"));
    }

    private T Timed<T>(T inner) where T : class
    {
        var proxy = DispatchProxy.Create<T, TimingProxy>();
        ((TimingProxy)(object)proxy).Init(inner, typeof(T).Name, this);
        return proxy;
    }

    private void Count(string call, long ticks) =>
        _calls.AddOrUpdate(call, (1, ticks), (_, v) => (v.Calls + 1, v.Ticks + ticks));

    // Nudge triggers carry their nudge in their name, not as job data: ask the job itself.
    private static long? NudgeIdOf(IJobExecutionContext context) => NudgeJob.NudgeIdOf(context);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (NudgeIdOf(context) is { } id) _started[id] = TimeProvider.System.GetUtcNow();
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        if (NudgeIdOf(context) is { } id) _finished[id] = TimeProvider.System.GetUtcNow();
        return ValueTask.CompletedTask;
    }

    /// <summary>Times each call until its task completes.</summary>
    public class TimingProxy : DispatchProxy
    {
        private object _inner = null!;
        private string _type = "";
        private DeliveryTrace _trace = null!;

        internal void Init(object inner, string type, DeliveryTrace trace)
        {
            _inner = inner;
            _type = type;
            _trace = trace;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var name = $"{_type}.{targetMethod!.Name}({targetMethod.GetParameters().Length})";
            var start = Stopwatch.GetTimestamp();
            object? result;
            try
            {
                result = targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
            if (result is Task task)
                task.ContinueWith(_ => _trace.Count(name, Stopwatch.GetElapsedTime(start).Ticks), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            else
                _trace.Count(name, Stopwatch.GetElapsedTime(start).Ticks);
            return result;
        }
    }
}
