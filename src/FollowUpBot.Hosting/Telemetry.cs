using FollowUpBot.Core.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FollowUpBot.Hosting;

/// <summary>
/// Section "Metrics": <c>Enabled</c> (default true) and <c>OtlpEndpoint</c> (an OTLP collector, e.g.
/// http://otel-collector:4317; none by default). <c>run</c> also serves Prometheus' text format at /metrics.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    public bool Enabled { get; set; } = true;

    public Uri? OtlpEndpoint { get; set; }

    /// <summary>grpc (default) or http/protobuf.</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;
}

public static class Telemetry
{
    /// <summary>Exports <see cref="BotMetrics"/>: Prometheus when <paramref name="prometheus"/> (the web host), OTLP when configured.</summary>
    public static IHostApplicationBuilder AddBotTelemetry(this IHostApplicationBuilder builder, bool prometheus)
    {
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (!options.Enabled || (!prometheus && options.OtlpEndpoint is null)) return builder;
        builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("followupbot")).WithMetrics(metrics =>
        {
            metrics.AddMeter(BotMetrics.MeterName);
            if (prometheus) metrics.AddPrometheusExporter();
            if (options.OtlpEndpoint is { } endpoint)
                metrics.AddOtlpExporter(o =>
                {
                    o.Endpoint = endpoint;
                    o.Protocol = options.OtlpProtocol;
                });
        });
        return builder;
    }

    public static bool ServesPrometheus(IConfiguration configuration) =>
        (configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions()).Enabled;
}
