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
