using System.Text.Json.Nodes;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Discord.Tests.Fakes;
using FollowUpBot.Scheduling;
using FollowUpBot.Testing;
using Xunit.Abstractions;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>
/// Discord scale-out end to end, in real time: two bot instances, each the whole composition on one PostgreSQL schema
/// with clustered Quartz, holding shards 0 and 1 of one fake Discord. Commands are answered by the instance of their
/// guild's shard; nudges go out as DMs exactly once across the cluster, also when an instance dies mid-run.
/// </summary>
public sealed class ShardedClusterTests(ITestOutputHelper output)
{
    private const int Shards = 2;
    private const int GuildsPerShard = 2;
    private const int MembersPerGuild = 2;
    private const int LaterNudgesPerMember = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private sealed record Someone(string GuildId, string UserId, int Shard)
    {
        public MemberKey Key => new("discord", GuildId, UserId);
    }

    [Theory]
    [OnPostgres]
    public async Task EachShardAnswersItsGuildsAndEveryNudgeIsSentOnceEvenWhenAnInstanceDiesMidRun(string provider)
    {
        Assert.Equal("Postgres", provider);
        using var schema = TempPostgresSchema.Create(pooling: true);
        await using var discord = await FakeDiscord.StartAsync();
        discord.Gateway.ExpectedShardCount = Shards;
        var nodes = new List<DiscordClusterNode>();
        try
        {
            nodes.Add(await DiscordClusterNode.StartAsync("node-a", 0, Shards, discord, schema));
            nodes.Add(await DiscordClusterNode.StartAsync("node-b", 1, Shards, discord, schema));
            foreach (var node in nodes) await node.WaitReadyAsync(Patience);
            var (survivor, victim) = (nodes[0], nodes[1]);

            // 1. Members in guilds on both shards log an interview; each command reaches only its shard's instance.
            var people = Enumerable.Range(0, Shards * GuildsPerShard).SelectMany(g => Enumerable.Range(0, MembersPerGuild).Select(m =>
                new Someone(Payloads.GuildOnShard(g % Shards, Shards, n: g), $"15000000000000{g:D2}{m:D3}", g % Shards))).ToList();
            var commands = people.Select(p => (Who: p, Interaction: InterviewDone(p))).ToList();
            foreach (var (_, interaction) in commands) await discord.Gateway.InteractionAsync(interaction);
            foreach (var (who, interaction) in commands)
            {
                var id = interaction["id"]!.GetValue<string>();
                var callback = await discord.WaitForRequestAsync(r => r.Is("POST", $"interactions/{id}/"), $"the callback of {who}", Patience);
                Assert.Equal(nodes[who.Shard].Name, callback.Instance);
                Assert.Contains(callback.Json!["type"]!.GetValue<int>(), new[] { 4, 5 }); // 5: deferred on a slow machine
                var sentOn = discord.Gateway.Dispatches.Single(d => d.Type == "INTERACTION_CREATE" && d.Data!["id"]!.GetValue<string>() == id);
                Assert.Equal(who.Shard, sentOn.Shard);
                Assert.Equal(who.Shard, discord.Gateway.ShardOfConnection(sentOn.Connection!.Value));
            }
            foreach (var node in nodes) await node.Get<DiscordBotService>().CommandsRegistered;
            Assert.Single(discord.Requests, r => r.Is("PUT", "applications/")); // the commands, overwritten by shard 0 only

            // 2. Their debriefs are due at once; more nudges fall due over the next seconds.
            var keys = people.Select(p => p.Key).ToList();
            await EventuallyAsync(async () => (await survivor.NudgesOfAsync(keys)).Count(n => n.Kind == NudgeKind.Debrief && n.State == NudgeState.Sent) == people.Count,
                "every member's debrief sent", nodes);
            var later = await AddLaterNudgesAsync(nodes, keys, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(14));

            // 3. One instance dies while they go out, with DMs it posted that Discord has but it never heard back about;
            // the other carries on alone.
            await EventuallyAsync(() => Task.FromResult(DirectMessagePosts(discord).Count >= people.Count + later.Count / 3), "a third of the later nudges sent", nodes);
            discord.MessageAnswerDelay = r => r.Instance == victim.Name ? TimeSpan.FromSeconds(30) : TimeSpan.Zero;
            await EventuallyAsync(() => Task.FromResult(DirectMessagePosts(discord).Any(p => p.Instance == victim.Name && !discord.Answers.ContainsKey(p.Number) && Created(discord, p))),
                "a DM of the doomed instance created but not yet answered", nodes);
            await victim.KillAsync(discord);
            var killedAfter = discord.Requests.Max(r => r.Number);

            await EventuallyAsync(async () => (await survivor.NudgesOfAsync(keys)).Count(n => n.State == NudgeState.Sent && later.Contains(n.Id)) == later.Count,
                "every later nudge sent", nodes);
            var nudges = await survivor.NudgesOfAsync(keys);
            var sent = nudges.Where(n => n.State == NudgeState.Sent).ToList();
            Assert.Superset(later.ToHashSet(), sent.Select(n => n.Id).ToHashSet());
            Assert.All(sent, n => Assert.Equal(1, n.Deliveries));

            // The members saw each nudge once: one message per delivery key in all, none missing, none extra.
            var expected = sent.Select(n => $"n{n.Id}d1").Order(StringComparer.Ordinal).ToList();
            var messages = discord.Messages.Where(m => m["channel_id"]!.GetValue<string>().StartsWith('9'))
                .Select(m => m["nonce"]?.GetValue<string>() ?? "(no nonce)").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, messages);

            var posts = DirectMessagePosts(discord);
            output.WriteLine($"{sent.Count} nudges sent; DM posts before the kill: {string.Join(", ", posts.Where(p => p.Number <= killedAfter).GroupBy(p => p.Instance).Select(g => $"{g.Key} {g.Count()}"))}; " +
                $"after: {string.Join(", ", posts.Where(p => p.Number > killedAfter).GroupBy(p => p.Instance).Select(g => $"{g.Key} {g.Count()}"))}; " +
                $"nonces posted twice: {posts.GroupBy(p => p.Json!["nonce"]!.GetValue<string>()).Count(g => g.Count() > 1)}; " +
                $"history reads after the kill: {discord.Requests.Count(r => r.Number > killedAfter && r.Is("GET", "channels/"))}");

            // A send repeated with its nonce is the survivor finishing one the dead instance had under way; no other.
            foreach (var repeated in posts.GroupBy(p => p.Json!["nonce"]!.GetValue<string>()).Where(g => g.Count() > 1))
                Assert.Contains(repeated, p => p.Instance == victim.Name);
            Assert.Contains(DirectMessagePosts(discord), p => p.Number > killedAfter && p.Instance == survivor.Name);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    private static JsonObject InterviewDone(Someone who) => Payloads.Command("interview", "done", new Dictionary<string, JsonNode?>
    {
        ["company"] = "Acme", ["role"] = "Backend Engineer", ["interviewers"] = "Ana Ruiz", ["format"] = "video",
        ["decision-date"] = "not said", ["follow-up-invited"] = false, ["references"] = "Kim Lee", ["ended"] = "now", ["notes"] = "went well",
    }, who.UserId, guildId: who.GuildId);

    private static bool Created(FakeDiscord discord, RecordedRequest post) =>
        discord.Messages.Any(m => m["nonce"]?.GetValue<string>() == post.Json!["nonce"]!.GetValue<string>());

    private static IReadOnlyList<RecordedRequest> DirectMessagePosts(FakeDiscord discord) =>
        discord.Requests.Where(r => r.Is("POST", "channels/9") && r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Debrief nudges (on time, they ignore quiet hours) for every member, due evenly between <paramref name="from"/>
    /// and <paramref name="to"/> from now, stored and scheduled as the engine would, half through each instance.
    /// </summary>
    private static async Task<IReadOnlyList<long>> AddLaterNudgesAsync(IReadOnlyList<DiscordClusterNode> nodes, IReadOnlyList<MemberKey> keys,
        TimeSpan from, TimeSpan to)
    {
        var now = DateTimeOffset.UtcNow;
        var total = keys.Count * LaterNudgesPerMember;
        var all = new List<Nudge>();
        var n = 0;
        foreach (var key in keys)
        {
            var member = await nodes[0].Get<IMemberRepository>().FindAsync(key, CancellationToken.None)
                ?? throw new InvalidOperationException($"member {key} was never stored");
            var interview = new Interview(0, member.Id, 0, "Globex", null, ["Hank Scorpio"], InterviewFormat.Video, now, null, false, [], null, now);
            var nudges = Enumerable.Range(0, LaterNudgesPerMember)
                .Select(_ => new Nudge(0, 0, 0, NudgeKind.Debrief, now + from + (to - from) * n++ / total, null, 0, NudgeState.Pending)).ToList();
            var (_, stored) = await nodes[0].Get<IInterviewRepository>().AddAsync(interview, nudges, CancellationToken.None);
            all.AddRange(stored);
        }
        await Task.WhenAll(nodes.Select((node, i) => Task.Run(async () =>
        {
            await node.Get<INudgeScheduler>().ScheduleAsync(all.Where((_, j) => j % nodes.Count == i).ToList(), CancellationToken.None);
            // The engine does not wait for the trigger writes; a test that kills an instance does, so as to kill it
            // with a known schedule.
            await node.Get<NudgeTriggerWriter>().FlushAsync(CancellationToken.None);
        })));
        return all.Select(x => x.Id).ToList();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, IReadOnlyList<DiscordClusterNode> nodes)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}. Logs:\n" +
                    string.Join("\n", nodes.SelectMany(n => n.Logs.Lines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal)).TakeLast(40).Select(l => $"[{n.Name}] {l}"))));
            // A poll, not a pause: the nodes are separate hosts sharing a database (Quartz's cluster check-ins and the
            // shard leases run on real time), and the database rows are the only signal they all give.
            await Task.Delay(100);
        }
    }
}
