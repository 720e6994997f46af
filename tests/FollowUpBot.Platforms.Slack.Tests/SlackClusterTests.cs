using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Slack.Inbound;
using FollowUpBot.Platforms.Slack.Tests.Support;
using FollowUpBot.Scheduling;
using FollowUpBot.Testing;
using Npgsql;

namespace FollowUpBot.Platforms.Slack.Tests;

/// <summary>
/// Slack scale-out, end to end and in real time: three bot instances, each the real composition (Core, Storage on one
/// PostgreSQL schema, clustered Quartz, the Slack adapter with two Socket Mode connections), all connected to one
/// fake Slack that hands each envelope to one of the six connections and redelivers what is not acked in time.
/// </summary>
public sealed class SlackClusterTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const int DueSoon = 40;

    [Theory, OnPostgres]
    public async Task CommandsRunOnceAndEveryNudgeIsSentOnceWhileAnInstanceIsKilledMidRun(string provider)
    {
        Assert.Equal("Postgres", provider);
        using var schema = TempPostgresSchema.Create(pooling: true);
        await using var fake = await FakeSlack.StartAsync();
        var nodes = new List<SlackClusterNode>();
        try
        {
            foreach (var name in new[] { "bot-a", "bot-b", "bot-c" }) nodes.Add(await SlackClusterNode.StartAsync(name, schema, fake));
            var members = Enumerable.Range(1, 14).Select(i => $"UM{i:D2}").ToList();
            foreach (var member in members) fake.Users[member] = "Europe/Berlin";

            // Nine members record an interview at once; one ack is lost, so Slack redelivers that command elsewhere.
            var before = members.Take(9).Select((m, i) => Command(fake, m, loseFirstAck: i == 4)).ToList();
            foreach (var command in before) await fake.WaitForAckAsync(command.EnvelopeId, TimeSpan.FromSeconds(45));
            Assert.True(before.Select(c => fake.Deliveries.First(d => d.EnvelopeId == c.EnvelopeId).Instance).Distinct().Count() > 1,
                "the envelopes were spread over the instances");
            Assert.Contains(fake.Deliveries, d => d.EnvelopeId == before[4].EnvelopeId && d.RetryAttempt == 1);

            // Nudges falling due over the next seconds, scheduled through all instances as the engine would.
            var dueSoon = await AddNudgesDueSoonAsync(nodes, fake);
            await EventuallyAsync(() => PostedKeys(fake).Count(dueSoon.Contains) >= DueSoon / 4, "a quarter of the nudges went out");
            // The instance dies just after one of its nudges reached Slack and before it could record that.
            var killed = nodes[1];
            var cutOff = await killed.KillAfterNextNudgeAsync(TimeSpan.FromSeconds(30));
            Assert.Contains(cutOff, dueSoon);

            // Commands after the kill reach only the survivors' connections.
            var after = members.Skip(9).Select(m => Command(fake, m)).ToList();
            foreach (var command in after) await fake.WaitForAckAsync(command.EnvelopeId, TimeSpan.FromSeconds(45));
            Assert.All(fake.Deliveries.Where(d => after.Any(c => c.EnvelopeId == d.EnvelopeId)),
                d => Assert.NotEqual(killed.Name, d.Instance));

            var survivor = nodes[0];
            var debriefs = new List<string>();
            foreach (var member in members) debriefs.Add(await DebriefKeyAsync(survivor, member));
            var expected = dueSoon.Concat(debriefs).ToList();
            await EventuallyAsync(() => expected.All(PostedKeys(fake).Contains) && DeliveredCount(schema) >= expected.Count,
                "every nudge was posted and recorded", 60);

            // Each command ran once: one interview each, and at most one answer (exactly one unless its ack was lost).
            foreach (var member in members) Assert.Single(await InterviewsAsync(survivor, member));
            foreach (var command in before.Concat(after).Where(c => c != before[4]))
                Assert.Equal(1, Answers(fake, command));
            Assert.True(Answers(fake, before[4]) <= 1);

            // Each nudge reached its member once across all instances: none missing, none doubled.
            var posted = PostedKeys(fake);
            Assert.Empty(posted.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key));
            Assert.Equal(expected.Order(), posted.Where(expected.Contains).Order());
            using var connection = new NpgsqlConnection(schema.ConnectionString);
            var sent = connection.Query<long>("SELECT id FROM nudges WHERE state = 'sent' AND deliveries = 1").Select(id => $"n{id}d1");
            Assert.Empty(expected.Except(sent));
            // The survivor that took over the cut-off send found it in the DM before sending it again.
            Assert.Contains(fake.CallsTo("conversations.history"), c => c.Arg("channel") == FakeSlack.DmChannelOf(MemberOf(fake, cutOff)));
            Assert.Empty(fake.Problems);
            Assert.Empty(fake.Undelivered);
        }
        finally
        {
            // Survivors first: the killed instance's hanging requests end only when the fake stops.
            foreach (var node in nodes.OrderBy(n => n.Killed)) await node.DisposeAsync();
        }
    }

    private sealed record SentCommand(string EnvelopeId, string ResponseUrlId);

    private static SentCommand Command(FakeSlack fake, string userId, bool loseFirstAck = false)
    {
        var decision = DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var payload = fake.SlashCommand(userId, "/interview",
            $"done company:\"Acme\" role:\"Backend Engineer\" interviewers:\"Ana Ruiz\" format:video decision-date:{decision} " +
            "follow-up-invited:no references:none"); // every detail given: one answer, no follow-up questions
        var envelopeId = fake.Deliver("slash_commands", payload, loseFirstAck: loseFirstAck);
        return new SentCommand(envelopeId, ((string)payload["response_url"]!).Split('/')[^1]);
    }

    /// <summary>The answers the member saw: replies riding on an ack Slack received, and posts to the response_url.</summary>
    private static int Answers(FakeSlack fake, SentCommand command) =>
        fake.Acks.Count(a => a.EnvelopeId == command.EnvelopeId && a.Payload is JsonObject) +
        fake.ResponsePosts.Count(p => p.ResponseUrlId == command.ResponseUrlId);

    private static string MemberOf(FakeSlack fake, string deliveryKey) =>
        fake.Messages.Single(m => m.Metadata?["event_payload"]?["delivery_key"]?.ToString() == deliveryKey).Channel[1..];

    /// <summary>Delivery keys of every DM the fake received, once per chat.postMessage.</summary>
    private static List<string> PostedKeys(FakeSlack fake) =>
        fake.Messages.Select(m => m.Metadata?["event_payload"]?["delivery_key"]?.ToString()).OfType<string>().ToList();

    /// <summary>
    /// Debrief nudges (no quiet hours) for ten members, due evenly over the next 2 to 10 seconds, stored and then
    /// scheduled through the running instances, a share each.
    /// </summary>
    private static async Task<IReadOnlyList<string>> AddNudgesDueSoonAsync(IReadOnlyList<SlackClusterNode> nodes, FakeSlack fake)
    {
        var now = DateTimeOffset.UtcNow;
        var all = new List<Nudge>();
        for (var i = 0; i < 10; i++)
        {
            var userId = $"UN{i:D2}";
            fake.Users[userId] = "UTC";
            var member = await nodes[0].Get<IMemberRepository>().SaveAsync(new Member(0, SlackMembers.KeyOf(FakeSlack.TeamId, userId), "UTC",
                new QuietHours(TimeOnly.MinValue, TimeOnly.MinValue), true, now, now), None);
            var interview = new Interview(0, member.Id, 0, "Globex", null, ["Ana Ruiz"], InterviewFormat.Video, now, null, false, [], null, now);
            var nudges = Enumerable.Range(0, DueSoon / 10).Select(j => new Nudge(0, 0, 0, NudgeKind.Debrief,
                now + TimeSpan.FromSeconds(2 + 8.0 * (i * (DueSoon / 10) + j) / DueSoon), null, 0, NudgeState.Pending)).ToList();
            var (_, stored) = await nodes[0].Get<IInterviewRepository>().AddAsync(interview, nudges, None);
            all.AddRange(stored);
        }
        await Task.WhenAll(nodes.Select((node, i) => Task.Run(async () =>
        {
            await node.Get<INudgeScheduler>().ScheduleAsync(all.Where((_, j) => j % nodes.Count == i).ToList(), None);
            // The engine does not wait for the trigger writes; a test that kills an instance does, so as to kill it
            // with a known schedule.
            await node.Get<NudgeTriggerWriter>().FlushAsync(None);
        })));
        return all.Select(n => $"n{n.Id}d1").ToList();
    }

    private static async Task<IReadOnlyList<Interview>> InterviewsAsync(SlackClusterNode node, string userId) =>
        await node.Get<IMemberRepository>().FindAsync(SlackMembers.KeyOf(FakeSlack.TeamId, userId), None) is { } member
            ? await node.Get<IInterviewRepository>().ListAsync(member.Id, openOnly: false, None)
            : [];

    private static async Task<string> DebriefKeyAsync(SlackClusterNode node, string userId)
    {
        var interview = Assert.Single(await InterviewsAsync(node, userId));
        var debrief = (await node.Get<INudgeRepository>().ListByInterviewAsync(interview.Id, None)).Single(n => n.Kind == NudgeKind.Debrief);
        return $"n{debrief.Id}d1";
    }

    private static long DeliveredCount(TempPostgresSchema schema)
    {
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM deliveries");
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }
}
