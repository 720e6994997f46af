using System.Diagnostics;
using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Discord;
using FollowUpBot.Testing.Discord;
using FollowUpBot.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Bench;

/// <summary>
/// Issue 6, measurement 3, end to end: N nudges for N members fall due at one instant and go out through the whole
/// bot (Quartz store, dispatcher, the real Discord adapter) to a fake Discord enforcing the 50 requests/second global
/// limit (and 5 per 5 s per DM channel), answering 429 beyond them. Each DM is two requests (open the DM channel,
/// post). Reports the accepted request rate while the burst drains as a fraction of the limit, and the 429s.
/// FOLLOWUPBOT_BENCH_DMS sets N (500 by default). SQLite, and PostgreSQL when FOLLOWUPBOT_BENCH_POSTGRES is set.
/// </summary>
public sealed class DeliveryThroughputBenchmark : IBenchmark
{
    private const int Limit = 50;

    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(10);

    public string Name => "scale-delivery";

    public string Description => $"N DMs due at one instant through Quartz + dispatcher + Discord adapter to a fake enforcing {Limit} req/s: rate, 429s";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_DMS"), out var n) ? n : 500;
        return await BenchDatabase.OnEachAsync(database => RunOnAsync(database, count, cancellationToken));
    }

    private static async Task<IEnumerable<BenchRow>> RunOnAsync(BenchDatabase database, int count, CancellationToken cancellationToken)
    {
        var label = database.Label;
        await using var discord = await FakeDiscord.StartAsync();
        var settings = discord.Configuration();
        settings["Discord:ApplicationId"] = FakeDiscord.ApplicationId;
        settings["Discord:Mode"] = "http";
        settings["Discord:PublicKey"] = new string('a', 64);
        if (Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_THREADS") is { Length: > 0 } threads) settings["Scheduling:ThreadCount"] = threads;
        using var host = await BenchHost.StartAsync(database, TimeProvider.System, null, cancellationToken, settings,
            [new DiscordModule()]);
        await discord.WaitForRequestAsync(r => r.Is("PUT", "applications/"), "the command registration");
        discord.GlobalLimitPerSecond = Limit;
        discord.MessageBucketSize = 5;

        var data = new BenchInterviews(host.Services.GetRequiredService<IMemberRepository>(), host.Services.GetRequiredService<IInterviewRepository>());
        var memberIds = await data.AddMembersAsync(count, new QuietHours(TimeOnly.MinValue, TimeOnly.MinValue), TimeProvider.System.GetUtcNow(),
            cancellationToken, platform: "discord", userId: m => (1800000000000000000L + m).ToString(CultureInfo.InvariantCulture));
        var due = TimeProvider.System.GetUtcNow() + Lead;
        var nudges = new List<Nudge>(count);
        for (var i = 0; i < count; i++)
            nudges.AddRange(await data.AddWithNudgesAsync(memberIds[i], i, due.AddHours(-1), [(NudgeKind.Debrief, due)], cancellationToken));
        var scheduler = host.Services.GetRequiredService<INudgeScheduler>();
        await scheduler.ScheduleAsync(nudges, cancellationToken);
        await host.Services.GetRequiredService<NudgeTriggerWriter>().FlushAsync(cancellationToken);
        var before = discord.Requests.Count;
        var wanted = nudges.Select(x => x.DeliveryKey).ToHashSet();

        var deadline = Stopwatch.StartNew();
        while (MessageNonces(discord).Distinct().Count(wanted.Contains) < count && deadline.Elapsed < Lead + TimeSpan.FromMinutes(3))
            await Task.Delay(200, cancellationToken);
        var global429s = discord.Global429s;
        var bucket429s = discord.Bucket429s;
        var burst = discord.Requests.Skip(before).ToList();
        if (Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_TRACE") == "1" && burst.Count > 0)
            foreach (var second in burst.GroupBy(r => (int)Stopwatch.GetElapsedTime(burst[0].ArrivedAt, r.ArrivedAt).TotalSeconds))
                await Console.Error.WriteLineAsync($"second {second.Key}: {second.Count()} requests, {second.Count(r => r.Is("POST", "users/"))} channel opens");
        await host.StopAsync(cancellationToken);

        var posted = MessageNonces(discord).Where(wanted.Contains).ToList();
        var delivered = posted.Distinct().Count();
        var doubled = posted.Count - delivered;
        // From the first request of the burst to the last: the time the limit was the bottleneck.
        var seconds = burst.Count < 2 ? double.NaN : Stopwatch.GetElapsedTime(burst[0].ArrivedAt, burst[^1].ArrivedAt).TotalSeconds;
        var accepted = burst.Count - global429s - bucket429s;
        // A sliding one-second window admits at most Limit x (seconds + 1) requests in a run (the first second is full
        // at once); measuring against that keeps the fraction honest rather than above 100 %.
        var fraction = accepted / (Limit * (seconds + 1));
        return
        [
            new BenchRow($"{label}: DMs delivered", $"{delivered:N0} / {count:N0}", count.ToString("N0", CultureInfo.InvariantCulture), delivered == count),
            new BenchRow($"{label}: DMs posted twice (same nonce)", doubled.ToString(CultureInfo.InvariantCulture), "0", doubled == 0),
            new BenchRow($"{label}: requests while the burst drained", $"{burst.Count:N0} in {seconds:F1} s ({accepted / seconds:F1} accepted/s)"),
            new BenchRow($"{label}: fraction of the {Limit}/s limit (of {Limit} x (s + 1))", $"{fraction:P1}", ">= 95%", fraction >= 0.95),
            new BenchRow($"{label}: global 429s", global429s.ToString(CultureInfo.InvariantCulture), "<= 1", global429s <= 1),
            new BenchRow($"{label}: bucket 429s", bucket429s.ToString(CultureInfo.InvariantCulture), "0", bucket429s == 0),
        ];
    }

    private static IEnumerable<string> MessageNonces(FakeDiscord discord) =>
        discord.Requests.Where(r => r.Is("POST", "channels/")).Select(r => r.Json?["nonce"]?.GetValue<string>() ?? "");
}
