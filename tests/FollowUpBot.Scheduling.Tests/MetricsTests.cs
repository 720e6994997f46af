using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Observability;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>What the dispatcher counts, read the way an exporter reads it: through a listener on the bot's meter.</summary>
public sealed class MetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();

        public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> Measurements { get; } = new();

        /// <summary>Only this bot's meter (tests running alongside have meters of the same name).</summary>
        public Recorded(IMeterFactory bot)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == BotMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, bot))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, string?>();
            foreach (var tag in tags) map[tag.Key] = tag.Value?.ToString();
            Measurements.Enqueue((instrument.Name, value, map));
        }

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task SentSkippedAndLatenessAreCountedByKindAndPlatform()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        bot.Get<BotMetrics>();
        using var recorded = new Recorded(bot.Get<IMeterFactory>());
        var member = await bot.AddMemberAsync();
        var onTime = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddHours(1))))[0];
        bot.Clock.SetUtcNow(T0.AddHours(1));
        await TestBot.EventuallyAsync(() => bot.StateOf(onTime.Id) == NudgeState.Sent, "the nudge is sent");
        // A debrief a week late is past its step's lateness limit: skipped, not sent.
        var stale = (await bot.AddNudgesAsync(member, (NudgeKind.Debrief, T0.AddHours(1).AddDays(-7))))[0];
        await bot.Get<NudgeDispatcher>().DispatchAsync(stale.Id, CancellationToken.None);
        await TestBot.EventuallyAsync(() => bot.StateOf(stale.Id) == NudgeState.Skipped, "the stale nudge is skipped");

        var nudges = recorded.Measurements.Where(m => m.Instrument == "followupbot.nudges").ToList();
        Assert.Contains(nudges, m => m.Tags["outcome"] == "sent" && m.Tags["kind"] == "hold_off" && m.Tags["platform"] == TestBot.PlatformName);
        Assert.Contains(nudges, m => m.Tags["outcome"] == "skipped" && m.Tags["kind"] == "debrief");
        var lateness = Assert.Single(recorded.Measurements, m => m.Instrument == "followupbot.nudge.lateness");
        Assert.Equal(0, lateness.Value);
    }
}
