using System.Globalization;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Core.Cohorts;

public enum DigestOutcome { NoCohort, AlreadyRan, Posted, Failed }

/// <summary>
/// Runs one scheduled digest: claims the run (one per cohort and scheduled time, so a double fire posts once),
/// builds the digest from the members' current levels, posts its pages to the coach channel in order (the chart,
/// when a renderer is configured, with the first), and records the run. A digest that could not be posted is not
/// retried: the next one covers everything since the last posted. A chart that fails to render is left out, not
/// the digest.
/// </summary>
public sealed class CohortDigestService(
    ICohortRepository cohorts,
    CohortActivityReader activity,
    ChatPlatformDirectory platforms,
    TimeProvider time,
    ILogger<CohortDigestService> logger,
    ICohortChartRenderer? charts = null)
{
    public static string RunKey(long cohortId, DateTimeOffset scheduledFor) =>
        $"c{cohortId}@{scheduledFor.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture)}";

    public async Task<DigestOutcome> RunAsync(long cohortId, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        var cohort = await cohorts.GetAsync(cohortId, cancellationToken);
        if (cohort is null)
        {
            logger.LogInformation("Digest for cohort {CohortId} skipped: the cohort is gone", cohortId);
            return DigestOutcome.NoCohort;
        }
        var key = RunKey(cohortId, scheduledFor);
        var now = time.GetUtcNow();
        if (!await cohorts.TryStartDigestAsync(cohortId, key, now, cancellationToken))
        {
            logger.LogInformation("Digest {RunKey} already ran", key);
            return DigestOutcome.AlreadyRan;
        }

        if (!ZonedTime.TryFindZone(cohort.TimeZoneId, out var zone)) zone = TimeZoneInfo.Utc;
        var members = await activity.ReadAsync(cohortId, cancellationToken);
        var numbers = CoachNumbers.Build(cohort, members, now, zone);
        var pages = CohortDigest.Build(numbers, members).ToList();
        if (members.Count > 0 && Chart(numbers, key) is { } chart) pages[0] = pages[0] with { Attachment = chart };
        var platform = platforms.Find(cohort.Platform);
        var posted = platform is not null;
        if (platform is null) logger.LogWarning("Digest {RunKey} not posted: no platform '{Platform}' is running", key, cohort.Platform);
        foreach (var page in pages)
        {
            if (!posted) break;
            var result = await platform!.PostToChannelAsync(new ChannelPostRequest(cohort.Workspace, cohort.ChannelId, page), cancellationToken);
            if (result.Status != DeliveryStatus.Delivered)
            {
                logger.LogWarning("Digest {RunKey} could not be posted to the coach channel: {Status} {Detail}", key, result.Status, result.Detail);
                posted = false;
            }
        }
        await cohorts.CompleteDigestAsync(cohortId, key, posted, time.GetUtcNow(), cancellationToken);
        return posted ? DigestOutcome.Posted : DigestOutcome.Failed;
    }

    private Attachment? Chart(CoachNumbers numbers, string key)
    {
        try
        {
            return CohortChart.Render(numbers, charts);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Digest {RunKey}: the chart could not be drawn; the digest goes out without it", key);
            return null;
        }
    }
}
