using System.Text.Json.Nodes;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Time;
using FollowUpBot.Hosting;
using FollowUpBot.Platforms.Slack;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using FollowUpBot.Platforms.Kit;

namespace FollowUpBot.Testing.Slack;

/// <summary>
/// The whole bot as `followupbot run` composes it for Slack: the real engine and playbook, SQLite in a temp folder,
/// Quartz on a simulated clock, and the Slack adapter in socket mode against the fake Slack.
/// </summary>
public sealed class SlackBot(FakeSlack fake, IHost host, SimulatedClock clock, TempDatabase database, CapturedLogs logs)
    : BotUnderTest(host, clock, database, logs)
{
    public FakeSlack Fake { get; } = fake;

    public static async Task<SlackBot> StartAsync(DateTimeOffset now, Action<Dictionary<string, string?>>? settings = null)
    {
        var fake = await FakeSlack.StartAsync();
        var database = new TempDatabase();
        var clock = new SimulatedClock(now);
        var values = SlackAdapterHarness.TestSettings(fake);
        values["Slack:SocketConnections"] = "1";
        // As much of Slack's 3 s as is safe: storing and scheduling an interview is slow on a loaded machine.
        values["Slack:AckBudget"] = "00:00:02.8";
        foreach (var (key, value) in database.Settings) values[key] = value;
        values["Scheduling:IdleWaitTime"] = "00:00:01";
        settings?.Invoke(values);

        var logs = new CapturedLogs();
        var host = BuildHost(values, clock, database.Folder, logs, LogLevel.Debug);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        await fake.WaitForOpenSocketsAsync(1);
        return new SlackBot(fake, host, clock, database, logs);
    }

    /// <summary>The bot as `followupbot run` composes it with Slack in socket mode, configured only by <paramref name="values"/>.</summary>
    public static IHost BuildHost(Dictionary<string, string?> values, TimeProvider clock, string contentRoot, CapturedLogs logs,
        LogLevel level) =>
        BuildHost(values, clock, contentRoot, logs, level, new SlackModule(),
            services => services.AddSingleton<IExitCodeSink>(new RecordingExitCode()));

    public FakeSocket Socket => Fake.OpenSockets.First(s => s.Greeted);

    protected override MemberKey KeyOf(string userId) => new("slack", FakeSlack.TeamId, userId);

    public async Task<IReadOnlyList<Nudge>> NudgesAsync(string userId) =>
        (await InterviewsAsync(userId)).Count == 0
            ? []
            : (await Task.WhenAll((await InterviewsAsync(userId)).Select(i =>
                Get<INudgeRepository>().ListByInterviewAsync(i.Id, CancellationToken.None)))).SelectMany(n => n).ToList();

    /// <summary>Sends a slash command on the open socket and returns its ack.</summary>
    public async Task<Ack> CommandAsync(string userId, string command, string text)
    {
        var envelopeId = await Socket.SendEnvelopeAsync("slash_commands", Fake.SlashCommand(userId, command, text));
        return await Fake.WaitForAckAsync(envelopeId);
    }

    /// <summary>
    /// Sends a slash command and returns its ack and the bot's answer: in the ack when the engine was quick enough,
    /// otherwise posted to the command's response_url (a loaded machine may take either path).
    /// </summary>
    public async Task<(Ack Ack, JsonObject Answer)> CommandWithAnswerAsync(string userId, string command, string text)
    {
        var payload = Fake.SlashCommand(userId, command, text);
        var envelopeId = await Socket.SendEnvelopeAsync("slash_commands", payload);
        var ack = await Fake.WaitForAckAsync(envelopeId);
        if (ack.Payload is JsonObject answer) return (ack, answer);
        var responseUrlId = ((string)payload["response_url"]!).Split('/')[^1];
        var posted = await Fake.WaitUntilAsync(() => Fake.ResponsePosts.FirstOrDefault(p => p.ResponseUrlId == responseUrlId),
            "the answer to the command");
        return (ack, posted.Body);
    }

    protected override ValueTask DisposeFakeAsync() => Fake.DisposeAsync();
}
