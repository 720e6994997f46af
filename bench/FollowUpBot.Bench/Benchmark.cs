namespace FollowUpBot.Bench;

/// <summary>One measured row of a benchmark's table.</summary>
public sealed record BenchRow(string Metric, string Value, string? Target = null, bool? Met = null);

/// <summary>A scenario the harness can run by name. Each file of this project adds one.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken);
}

/// <summary>Percentiles over a sample of durations in milliseconds.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sortedMs, double p)
    {
        if (sortedMs.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * sortedMs.Count) - 1;
        return sortedMs[Math.Clamp(rank, 0, sortedMs.Count - 1)];
    }
}

/// <summary>Sizes a run may be given in the environment.</summary>
public static class BenchSizes
{
    /// <summary>
    /// How many <c>/interview done</c> commands a latency scenario measures: FOLLOWUPBOT_BENCH_COMMANDS, else the
    /// scenario's own default (200 or 300). With the nearest-rank percentile, the p99 of 300 is the fourth slowest
    /// command of the run, of 200 the second slowest, and of fewer than 100 the slowest one: a p99 needs a few hundred.
    /// </summary>
    public static int Commands(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_COMMANDS"), out var n) && n > 0 ? n : fallback;
}
