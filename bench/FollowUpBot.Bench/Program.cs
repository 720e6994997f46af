using System.Diagnostics;
using System.Reflection;
using FollowUpBot.Bench;

// Every IBenchmark in this assembly is a scenario; run them all, or those named on the command line.
var all = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args is [ScaleDataBenchmark.StartOnceArgument, var provider, var connectionString, var folder])
    return await ScaleDataBenchmark.StartOnceAsync(provider, connectionString, folder);

if (args is ["--help" or "-h", ..])
{
    Console.WriteLine("Usage: dotnet run -c Release --project bench/FollowUpBot.Bench -- [scenario ...]");
    foreach (var b in all) Console.WriteLine($"  {b.Name,-28} {b.Description}");
    Console.WriteLine();
    Console.WriteLine("Environment: FOLLOWUPBOT_BENCH_POSTGRES=<connection string> runs the scale-* and command-latency scenarios on");
    Console.WriteLine("PostgreSQL too; FOLLOWUPBOT_BENCH_ONLY=sqlite|postgres runs one of the two. Sizes: FOLLOWUPBOT_BENCH_MEMBERS,");
    Console.WriteLine("_NUDGES, _DMS, _COMMANDS, _WRITERS, _PG_COPIES (see docs/benchmarks.md). FOLLOWUPBOT_BENCH_METRICS=on attaches the");
    Console.WriteLine("metrics exporter (OpenTelemetry + Prometheus) as `run` does, to measure what metrics cost.");
    return 0;
}

var chosen = args.Length == 0 ? all : all.Where(b => args.Contains(b.Name, StringComparer.OrdinalIgnoreCase)).ToList();
if (chosen.Count == 0)
{
    Console.Error.WriteLine($"No scenario named {string.Join(", ", args)}. Try --help.");
    return 2;
}

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformationText()}; metrics exporter {(BenchHost.MetricsOn ? "on" : "off")}");
foreach (var benchmark in chosen)
{
    Console.WriteLine();
    Console.WriteLine($"## {benchmark.Name}: {benchmark.Description}");
    var watch = Stopwatch.StartNew();
    var rows = await benchmark.RunAsync(CancellationToken.None);
    Console.WriteLine($"| metric | value | target | met |");
    Console.WriteLine($"|---|---|---|---|");
    foreach (var row in rows)
        Console.WriteLine($"| {row.Metric} | {row.Value} | {row.Target ?? ""} | {(row.Met is null ? "" : row.Met.Value ? "yes" : "NO")} |");
    Console.WriteLine($"({watch.Elapsed.TotalSeconds:F1} s)");
}
return 0;

static string RuntimeInformationText() =>
    $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}";
