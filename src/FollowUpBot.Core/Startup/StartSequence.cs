using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Core.Startup;

/// <summary>
/// What a bot process does before it delivers anything, in this order. Each stage finishes before the next begins;
/// steps of one stage run in the order they were added.
/// </summary>
public enum StartStage
{
    /// <summary>The database (and the scheduler's tables) brought to the current version.</summary>
    Migrate,

    /// <summary>State the first deliveries must already see (the console's member zone, say).</summary>
    Prepare,

    /// <summary>Interrupted sends resumed, overdue nudges dispatched, every pending nudge given its trigger.</summary>
    Reconcile,
}

/// <summary>One piece of start-up work, run by <see cref="StartSequence"/> in its <see cref="Stage"/>.</summary>
public interface IStartStep
{
    StartStage Stage { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Runs every <see cref="IStartStep"/> stage by stage (migrate, then prepare, then reconcile) in the host's
/// <see cref="IHostedLifecycleService.StartingAsync"/>, which the host completes for every service before it calls
/// any service's StartAsync. So the chat platforms (which connect in their StartAsync) and the scheduler (which starts
/// delivering once the host has started) start after the whole sequence, whatever order they were registered in.
/// </summary>
public sealed class StartSequence(IEnumerable<IStartStep> steps, ILogger<StartSequence> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // OrderBy is stable: within a stage, the order the steps were added.
        foreach (var step in steps.OrderBy(s => s.Stage))
        {
            logger.LogDebug("Start-up: {Stage} ({Step})", step.Stage, step.GetType().Name);
            await step.RunAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StartSequenceServiceCollectionExtensions
{
    /// <summary>Adds a start-up step (once per type) and the sequence that runs the steps before any service starts.</summary>
    public static IServiceCollection AddStartStep<TStep>(this IServiceCollection services) where TStep : class, IStartStep
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartStep, TStep>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StartSequence>());
        return services;
    }
}
