using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FollowUpBot.Core.Observability;

/// <summary>What happened to a nudge, as counted by <see cref="BotMetrics.NudgeFinished"/>.</summary>
public enum NudgeOutcome { Sent, Late, Skipped, Failed, Unreachable }

/// <summary>What a platform request came to, as counted by <see cref="BotMetrics.PlatformRequest"/>.</summary>
public enum RequestOutcome { Ok, Refused, RateLimited, ServerError, NoResponse }

/// <summary>
/// Every metric the bot publishes, in one meter ("FollowUpBot"): the host exports it (Prometheus at /metrics, OTLP when
/// configured); the README lists each instrument with an example scrape. Instruments cost next to nothing when no
/// listener is attached, so the layers record unconditionally. Tags are low-cardinality on purpose: kind, platform,
/// outcome, never a member or an id.
/// </summary>
public sealed class BotMetrics : IDisposable
{
    public const string MeterName = "FollowUpBot";

    private readonly Meter _meter;
    private readonly Counter<long> _nudges;
    private readonly Histogram<double> _lateness;
    private readonly Histogram<double> _interactions;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rateLimited;
    private readonly Histogram<double> _rateLimitWaits;
    private Func<int>? _triggerBacklog;

    public BotMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _nudges = _meter.CreateCounter<long>("followupbot.nudges", "{nudge}",
            "Nudges finished, by outcome (sent, late, skipped, failed, unreachable), kind and platform.");
        _lateness = _meter.CreateHistogram<double>("followupbot.nudge.lateness", "s",
            "How long after its due time a nudge was handed to its platform.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 86400] });
        _interactions = _meter.CreateHistogram<double>("followupbot.interaction.duration", "s",
            "Time the bot took to handle a member's command, button press or form, by platform and event.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _requests = _meter.CreateCounter<long>("followupbot.platform.requests", "{request}",
            "Requests to a platform's API, by platform and outcome (ok, refused, rate_limited, server_error, no_response).");
        _rateLimited = _meter.CreateCounter<long>("followupbot.platform.rate_limited", "{response}",
            "HTTP 429 answers from a platform.");
        _rateLimitWaits = _meter.CreateHistogram<double>("followupbot.platform.rate_limit.wait", "s",
            "Time a request waited for its platform's rate limit before it was sent (only waits that happened).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60] });
        _meter.CreateObservableGauge("followupbot.trigger_writer.backlog", () => _triggerBacklog?.Invoke() ?? 0, "{change}",
            "Nudge trigger changes queued and not yet written to the scheduler.");
    }

    /// <summary>A nudge left the dispatcher for good (or for now: a retry is not counted until it ends).</summary>
    public void NudgeFinished(NudgeOutcome outcome, string kind, string platform) =>
        _nudges.Add(1, new TagList { { "outcome", Name(outcome) }, { "kind", kind }, { "platform", platform } });

    /// <summary>A nudge was handed to its platform <paramref name="lateness"/> after it fell due.</summary>
    public void NudgeFired(TimeSpan lateness, string kind, string platform) =>
        _lateness.Record(Math.Max(0, lateness.TotalSeconds), new TagList { { "kind", kind }, { "platform", platform } });

    public void InteractionHandled(TimeSpan elapsed, string platform, string @event) =>
        _interactions.Record(elapsed.TotalSeconds, new TagList { { "platform", platform }, { "event", @event } });

    public void PlatformRequest(string platform, RequestOutcome outcome)
    {
        _requests.Add(1, new TagList { { "platform", platform }, { "outcome", Name(outcome) } });
        if (outcome == RequestOutcome.RateLimited) _rateLimited.Add(1, new TagList { { "platform", platform } });
    }

    public void RateLimitWait(string platform, TimeSpan waited)
    {
        if (waited > TimeSpan.Zero) _rateLimitWaits.Record(waited.TotalSeconds, new TagList { { "platform", platform } });
    }

    /// <summary>Where the trigger-writer backlog gauge reads from (the scheduling layer sets it).</summary>
    public void ObserveTriggerBacklog(Func<int> read) => _triggerBacklog = read;

    public void Dispose() => _meter.Dispose();

    private static string Name(NudgeOutcome outcome) => outcome switch
    {
        NudgeOutcome.Sent => "sent",
        NudgeOutcome.Late => "late",
        NudgeOutcome.Skipped => "skipped",
        NudgeOutcome.Failed => "failed",
        _ => "unreachable",
    };

    private static string Name(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Ok => "ok",
        RequestOutcome.Refused => "refused",
        RequestOutcome.RateLimited => "rate_limited",
        RequestOutcome.ServerError => "server_error",
        _ => "no_response",
    };
}
