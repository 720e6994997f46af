using System.Diagnostics;
using System.Globalization;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Testing.Slack;

namespace FollowUpBot.Bench;

/// <summary>
/// Socket Mode envelope to ack, measured at the fake Slack (send to ack read, so loopback both ways is included),
/// with the real engine on SQLite and Quartz. A command's ack carries the engine's reply, so it includes the work.
/// </summary>
public sealed class SlackAckLatencyBenchmark : IBenchmark
{
    private const int Warmup = 10;

    public string Name => "slack-ack";

    public string Description => "Slack Socket Mode: envelope sent to ack received (median, p99), real engine on SQLite and PostgreSQL";

    // The test harness opens SQLite unpooled (no test may keep a file open); the bot as shipped pools its connections,
    // so the run points the harness at a pooled database of each kind.
    public Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken) =>
        BenchDatabase.OnEachLabelledAsync(database => RunOnAsync(database, cancellationToken));

    private static async Task<IReadOnlyList<BenchRow>> RunOnAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);
        // The shipped ack budget (the tests allow themselves more).
        await using var bot = await SlackBot.StartAsync(start, s =>
        {
            s["Slack:AckBudget"] = "00:00:02.2";
            database.ApplyTo(s);
        });
        var rows = new List<BenchRow>();

        // Reads: /interview list after one stored interview.
        await bot.CommandAsync("U1", "/interview", "done company:Acme interviewers:\"Ana Ruiz\" format:video");
        var list = await MeasureAsync(bot, 300, i => ("U1", "list"));
        rows.AddRange(Rows("/interview list (read)", list));

        // A button press is acked before the engine runs: this is the adapter's own share of the time.
        var presses = new List<double>();
        var message = bot.Fake.Seed(FakeSlack.DmChannelOf("U1"), "A nudge", null);
        message.Blocks = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "actions", ["block_id"] = "buttons",
            ["elements"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "button", ["action_id"] = "nudge:999999:done", ["value"] = "nudge:999999:done",
                ["text"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "plain_text", ["text"] = "Done" },
            }),
        });
        for (var i = 0; i < Warmup + 300; i++)
        {
            var envelopeId = await bot.Socket.SendEnvelopeAsync("interactive", bot.Fake.BlockAction("U1", message, "nudge:999999:done"));
            var ack = await bot.Fake.WaitForAckAsync(envelopeId);
            if (i >= Warmup) presses.Add(ack.Elapsed.TotalMilliseconds);
        }
        presses.Sort();
        rows.AddRange(Rows("button press (block_actions, acked before the engine)", presses));

        // Writes: /interview done with every option: validate, plan, store in one transaction, schedule in Quartz.
        // 300 commands, so that the p99 is the fourth slowest rather than the slowest one (as it is of 60); the slowest
        // is reported beside it. Members take turns, about three interviews each: users.info is asked once per
        // member, then cached. At most 90 members: users.info is Tier 4 (100 a minute), and a member beyond it waits
        // for the limit, so the answer goes by response_url after the ack budget (as it should, but it is not what
        // this measures).
        var commands = BenchSizes.Commands(300);
        var members = Math.Clamp(commands / 3, 1, 90);
        var done = await MeasureAsync(bot, commands, i => ($"W{i % members}",
            $"done company:\"Acme {i}\" role:\"Engineer\" interviewers:\"Ana Ruiz, Ben Ode\" format:onsite " +
            "decision-date:2026-12-11 follow-up-invited:no references:\"Kim Lee\""));
        rows.AddRange(Rows("/interview done, all options (write + schedule)", done, target: true));
        var empty = bot.Fake.Acks.Count(a => a.Payload is null && a.Elapsed.TotalMilliseconds >= 2000);
        rows.Add(new BenchRow("commands whose answer missed the ack budget (sent by response_url instead)",
            empty.ToString(CultureInfo.InvariantCulture)));

        var late = bot.Fake.Acks.Count(a => a.Late);
        rows.Add(new BenchRow("acks later than Slack's 3 s", late.ToString(CultureInfo.InvariantCulture), "0", late == 0));
        return rows;
    }

    private static async Task<List<double>> MeasureAsync(SlackBot bot, int samplesWanted, Func<int, (string User, string Text)> command)
    {
        var samples = new List<double>();
        for (var i = 0; i < Warmup + samplesWanted; i++)
        {
            var (user, text) = command(i);
            bot.Fake.Users.TryAdd(user, "Europe/Berlin");
            var ack = await bot.CommandAsync(user, "/interview", text);
            if (i >= Warmup) samples.Add(ack.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        return samples;
    }

    private static IEnumerable<BenchRow> Rows(string what, List<double> sorted, bool target = false)
    {
        var p99 = Percentiles.Of(sorted, 99);
        yield return new BenchRow($"{what}: median ({sorted.Count} samples)", $"{Percentiles.Of(sorted, 50):F1} ms");
        yield return target
            ? new BenchRow($"{what}: p99", $"{p99:F1} ms", "<= 50 ms (Slack's ack deadline: 3 s)", p99 <= 50)
            : new BenchRow($"{what}: p99", $"{p99:F1} ms", "< 3000 ms (Slack's ack deadline)", p99 < 3000);
        yield return new BenchRow($"{what}: slowest", $"{sorted[^1]:F1} ms");
    }
}

/// <summary>
/// DM throughput through the Slack IChatPlatform against a fake that answers 429 like Slack: more than about one
/// message per second to a channel, or a method beyond its tier's per-minute limit.
/// </summary>
public sealed class SlackDmThroughputBenchmark : IBenchmark
{
    public string Name => "slack-dm";

    public string Description => "Slack DMs per second against Slack's limits (1 msg/s per channel, tier limits)";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<BenchRow>();
        // Defaults as shipped: one message per second per channel.
        await using var harness = await SlackAdapterHarness.StartAsync(s =>
        {
            s["Slack:ChannelMessageInterval"] = "00:00:01";
            s["Slack:RetryJitter"] = "00:00:01";
        }, start: false);
        var fake = harness.Fake;
        fake.EnforceRateLimits = true;
        var slack = harness.Get<SlackChatPlatformAccessor>().Platform;

        // Many members at once: 40 members, 3 nudges each, all handed over together (as a burst of due nudges).
        const int members = 40, perMember = 3;
        for (var m = 0; m < members; m++) fake.Users.TryAdd($"M{m}", "UTC");
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, members * perMember).Select(i =>
            slack.SendDirectMessageAsync(Request($"M{i % members}", $"burst-{i}"), cancellationToken)));
        watch.Stop();
        var delivered = results.Count(r => r.Status == DeliveryStatus.Delivered);
        rows.Add(new BenchRow($"{members} members x {perMember} DMs: delivered", $"{delivered}/{results.Length}",
            $"{results.Length}", delivered == results.Length));
        rows.Add(new BenchRow($"{members} members x {perMember} DMs: throughput",
            $"{delivered / watch.Elapsed.TotalSeconds:F1} msg/s ({watch.Elapsed.TotalSeconds:F1} s)"));

        // One member, many nudges: bounded by Slack's one message per second per channel.
        const int oneChannel = 6;
        watch.Restart();
        var single = await Task.WhenAll(Enumerable.Range(0, oneChannel).Select(i =>
            slack.SendDirectMessageAsync(Request("U1", $"single-{i}"), cancellationToken)));
        watch.Stop();
        // The first goes at once, each next one a second later.
        var spacing = watch.Elapsed.TotalSeconds / (oneChannel - 1);
        rows.Add(new BenchRow($"one member x {oneChannel} DMs: spacing",
            $"{spacing:F2} s per message ({single.Count(r => r.Status == DeliveryStatus.Delivered)} delivered)", ">= 1 s", spacing >= 0.99));

        rows.Add(new BenchRow("429 answers from the fake", fake.RateLimitedAnswers.ToString(CultureInfo.InvariantCulture), "0",
            fake.RateLimitedAnswers == 0));
        return rows;
    }

    private static DirectMessageRequest Request(string userId, string key) =>
        new(new Member(1, new MemberKey("slack", FakeSlack.TeamId, userId), "UTC", QuietHours.Default, false, default, default),
            new Message("Time to send Ana a thank-you note.", [new Button("nudge:1:done", "Done"), new Button("nudge:1:snooze", "Snooze")]),
            key, PossibleRepeat: false);
}
