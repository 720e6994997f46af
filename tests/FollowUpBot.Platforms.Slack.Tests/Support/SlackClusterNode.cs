using FollowUpBot.Core.Ports;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FollowUpBot.Platforms.Slack.Tests.Support;

/// <summary>
/// One bot instance of a Slack cluster, composed as `followupbot run` does: Core, Storage on the shared PostgreSQL
/// schema, Quartz clustered with its own instance id, and the Slack adapter in socket mode, in real time. It reaches
/// the one fake Slack through its own address (<see cref="FakeSlack.ApiBaseUrlFor"/>), so it can be killed alone.
/// </summary>
internal sealed class SlackClusterNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly FakeSlack _fake;

    private SlackClusterNode(string name, IHost host, FakeSlack fake, CapturedLogs logs)
    {
        Name = name;
        _host = host;
        _fake = fake;
        Logs = logs;
    }

    public string Name { get; }

    public CapturedLogs Logs { get; }

    public bool Killed { get; private set; }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<SlackClusterNode> StartAsync(string name, TempPostgresSchema schema, FakeSlack fake)
    {
        var values = SlackAdapterHarness.TestSettings(fake);
        values["Slack:ApiBaseUrl"] = fake.ApiBaseUrlFor(name).ToString();
        // A killed instance's requests hang; they must not time out and act after its death within a test.
        values["Slack:RequestTimeout"] = "00:05:00";
        foreach (var (key, value) in schema.ClusterInstanceSettings(name)) values[key] = value;

        var logs = new CapturedLogs();
        var host = SlackBot.BuildHost(values, TimeProvider.System, AppContext.BaseDirectory, logs, LogLevel.Information);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        await fake.WaitUntilAsync(() => fake.OpenSockets.Count(s => s.Instance == name && s.Greeted) >= 2,
            $"both sockets of {name}", TimeSpan.FromSeconds(30));
        return new SlackClusterNode(name, host, fake, logs);
    }

    /// <summary>
    /// As close to kill -9 as one process allows: Slack sees its sockets drop and hears nothing more from it (sends in
    /// flight never arrive), and its scheduler stops at once without finishing its jobs or checking in again, so the
    /// cluster sees the instance go silent and recovers its firings. Its host is abandoned, never stopped cleanly.
    /// </summary>
    public async Task KillAsync()
    {
        Killed = true;
        _fake.Kill(Name);
        await StopSchedulerAsync();
    }

    /// <summary>
    /// Kills the instance (as <see cref="KillAsync"/>) right after its next nudge DM has reached Slack, before it could
    /// record the delivery: the send the survivors must not repeat. Returns that nudge's delivery key.
    /// </summary>
    public async Task<string> KillAfterNextNudgeAsync(TimeSpan timeout)
    {
        var key = await _fake.KillAfterNextNudgeAsync(Name).WaitAsync(timeout);
        Killed = true;
        await StopSchedulerAsync();
        return key;
    }

    private async Task StopSchedulerAsync()
    {
        var scheduler = await Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Shutdown(waitForJobsToComplete: false);
    }

    public async ValueTask DisposeAsync()
    {
        // A killed instance gets only a short, best-effort stop at the end, so it does not linger past its test.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Killed ? 5 : 30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        catch (Exception ex) when (Killed || ex is OperationCanceledException)
        {
        }
        _host.Dispose();
    }
}
