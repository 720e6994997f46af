using System.Collections.Concurrent;
using FollowUpBot.Core.Ports;
using System.Text.Json.Nodes;
using FollowUpBot.Platforms.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Platforms.Slack.Tests;

/// <summary>
/// Slack redelivers a command or button press whose ack was late (retry_attempt in Socket Mode, X-Slack-Retry-Num
/// over HTTP), possibly to another instance. What this instance never saw runs unless the shared record says its
/// effects were committed; the storage side of that record is in FollowUpBot.Storage.Tests (InteractionKeyTests).
/// </summary>
public sealed class RedeliveryTests
{
    [Fact]
    public async Task ARedeliveredCommandWhoseFirstDeliveryCommittedNothingRunsUnderItsKey()
    {
        var record = new SharedRecord();
        await using var harness = await SlackAdapterHarness.StartAsync(services: s => s.AddSingleton<IHandledInteractions>(record));
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        var payload = harness.Fake.SlashCommand("U1", "/interview", "list");

        // The instance that got the first attempt died before committing anything.
        var retry = await socket.SendEnvelopeAsync("slash_commands", payload, retryAttempt: 1);
        await harness.Fake.WaitForAckAsync(retry);

        Assert.Single(harness.Engine.Events);
        Assert.Equal($"trigger:{payload["trigger_id"]}", Assert.Single(record.Asked));
        Assert.Equal($"trigger:{payload["trigger_id"]}", Assert.Single(harness.Engine.Keys));
    }

    [Fact]
    public async Task ARedeliveredCommandWhoseFirstDeliveryCommittedItsEffectsIsNotRunAgainButAMembersRetryIs()
    {
        var record = new SharedRecord();
        await using var harness = await SlackAdapterHarness.StartAsync(services: s => s.AddSingleton<IHandledInteractions>(record));
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        var payload = harness.Fake.SlashCommand("U1", "/interview", "done company:Acme");
        record.Committed.TryAdd($"trigger:{payload["trigger_id"]}", 0); // another instance ran it, then died before its ack

        var redelivery = await socket.SendEnvelopeAsync("slash_commands", payload, retryAttempt: 2);
        var ack = await harness.Fake.WaitForAckAsync(redelivery);
        Assert.Null(ack.Payload);
        Assert.Empty(harness.Engine.Events);

        // The member, seeing Slack's timeout, types it again: a new trigger_id, a new command.
        var again = await socket.SendEnvelopeAsync("slash_commands", harness.Fake.SlashCommand("U1", "/interview", "done company:Acme"));
        await harness.Fake.WaitForAckAsync(again);
        Assert.Single(harness.Engine.Events);
    }

    [Fact]
    public async Task AButtonPressIsHandledUnderItsTriggerIdSoItsEffectsCarryTheKey()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(services: s => s.AddSingleton<IHandledInteractions>(new SharedRecord()));
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        var press = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = "U1", ["team_id"] = FakeSlack.TeamId },
            ["team"] = new JsonObject { ["id"] = FakeSlack.TeamId },
            ["trigger_id"] = "1234.5678.abc",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1.2", ["channel_id"] = "D1", ["is_ephemeral"] = false },
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = "nudge:7:done", ["type"] = "button", ["value"] = "x" }),
        };

        var envelope = await socket.SendEnvelopeAsync("interactive", press);
        await harness.Fake.WaitForAckAsync(envelope);
        await harness.Fake.WaitUntilAsync(() => harness.Engine.Events.Count == 1, "the press handled");

        Assert.Equal($"trigger:{press["trigger_id"]}", Assert.Single(harness.Engine.Keys));
    }

    /// <summary>The shared record as the other instances left it.</summary>
    private sealed class SharedRecord : IHandledInteractions
    {
        public readonly ConcurrentDictionary<string, byte> Committed = new();
        public readonly ConcurrentQueue<string> Asked = new();

        public Task<bool> TryClaimAsync(string platform, string interactionId, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken) =>
            Task.FromResult(Committed.TryAdd(interactionId, 0));

        public Task<bool> IsHandledAsync(string platform, string interactionId, CancellationToken cancellationToken)
        {
            Asked.Enqueue(interactionId);
            return Task.FromResult(platform == "slack" && Committed.ContainsKey(interactionId));
        }
    }
}
