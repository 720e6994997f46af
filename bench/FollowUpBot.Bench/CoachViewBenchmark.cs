using System.Diagnostics;
using System.Globalization;
using System.Net;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Ports;
using FollowUpBot.Testing.Dashboard;
using FollowUpBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Bench;

/// <summary>
/// Issue 12: a digest with its chart for a 500-member cohort, and the web view's pages for it, through the bot's web
/// host as <c>run</c> builds it (SQLite file or PostgreSQL schema, real Kestrel, real ScottPlot).
/// </summary>
public sealed class CoachViewBenchmark : IBenchmark
{
    public string Name => "coach-view";

    public string Description => "digest with chart and web view pages for a cohort of FOLLOWUPBOT_BENCH_COHORT (500) members";

    private static int Members => int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_COHORT"), out var n) ? n : 500;

    private static int Requests => int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_PAGES"), out var n) ? n : 300;

    public Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken) =>
        BenchDatabase.OnEachAsync(async database =>
        {
            var channel = new CountingChannel();
            await using var site = await DashboardSite.StartAsync(
                settings: new Dictionary<string, string?> { ["Storage:Provider"] = database.Provider, ["Storage:ConnectionString"] = database.ConnectionString },
                services: s => s.AddSingleton<IChatPlatform>(channel));
            var cohort = await site.CreateCohortAsync(DashboardSite.Coach);
            var seeding = Stopwatch.StartNew();
            await SampleCohort.StoreAsync(SampleCohort.Members(Members, DashboardSite.T0), cohort,
                site.Get<IMemberRepository>(), site.Get<IInterviewRepository>(), site.Get<ICohortRepository>(), cancellationToken);
            seeding.Stop();
            var label = $"{database.Label}, {Members} members";
            var rows = new List<BenchRow> { new($"{label}: seeding (members, interviews, memberships)", $"{seeding.Elapsed.TotalSeconds:F1} s") };

            // The digest: read the cohort, build the numbers and pages, draw the chart, post every page.
            var digests = site.Get<CohortDigestService>();
            var digestMs = new List<double>();
            for (var run = 0; run < 12; run++)
            {
                var watch = Stopwatch.StartNew();
                var outcome = await digests.RunAsync(cohort.Id, DashboardSite.T0.AddHours(run), cancellationToken);
                watch.Stop();
                if (outcome != DigestOutcome.Posted) throw new InvalidOperationException($"digest {run}: {outcome}");
                if (run >= 2) digestMs.Add(watch.Elapsed.TotalMilliseconds); // the first two warm up ScottPlot and the JIT
            }
            digestMs.Sort();
            rows.Add(Row($"{label}: digest with chart, {channel.Pages / 12} messages each (10 runs)", digestMs, "p100 < 2,000 ms", 2000, max: true));
            rows.Add(new BenchRow($"{label}: chart PNG", $"{channel.ChartBytes / 1024} KB"));

            using var client = new DashboardClient(site);
            await client.LoginAsync(await site.LinkAsync());
            var memberId = (await site.Get<ICohortRepository>().ListMembershipsAsync(cohort.Id, cancellationToken))[0].MemberId;
            foreach (var (page, path) in new[]
                     {
                         ("cohort table", $"/dashboard/cohorts/{cohort.Id}"),
                         ("table sorted by days quiet, 'may need a word'", $"/dashboard/cohorts/{cohort.Id}?sort=quiet&order=desc&filter=needs-a-word"),
                         ("member page", $"/dashboard/cohorts/{cohort.Id}/members/{memberId}"),
                         ("trends", $"/dashboard/cohorts/{cohort.Id}/trends"),
                     })
            {
                var samples = new List<double>();
                long bytes = 0;
                for (var i = 0; i < Requests + 20; i++)
                {
                    var watch = Stopwatch.StartNew();
                    var (status, body) = await client.GetAsync(path);
                    watch.Stop();
                    if (status != HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {status}");
                    bytes = body.Length;
                    if (i >= 20) samples.Add(watch.Elapsed.TotalMilliseconds);
                }
                samples.Sort();
                rows.Add(Row($"{label}: web view {page} ({bytes / 1024} KB of HTML, {Requests} loads)", samples, "p99 < 200 ms", 200));
            }
            return rows;
        });

    private static BenchRow Row(string metric, List<double> sortedMs, string target, double limitMs, bool max = false)
    {
        var p50 = Percentiles.Of(sortedMs, 50);
        var p99 = Percentiles.Of(sortedMs, 99);
        var worst = sortedMs[^1];
        var value = string.Create(CultureInfo.InvariantCulture, $"median {p50:F0} ms, p99 {p99:F0} ms, max {worst:F0} ms");
        return new BenchRow(metric, value, target, (max ? worst : p99) < limitMs);
    }

    /// <summary>The coach channel: takes every page at once, counting them and the chart's size.</summary>
    private sealed class CountingChannel : IChatPlatform
    {
        public string Name => "test";

        public int Pages;
        public long ChartBytes;

        public Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(DeliveryResult.Delivered);

        public Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Pages);
            if (request.Message.Attachment is { } chart) Interlocked.Exchange(ref ChartBytes, chart.Content.Length);
            return Task.FromResult(DeliveryResult.Delivered);
        }
    }
}
