using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Core.Retention;

/// <summary>Removes interviews closed for longer than <see cref="RetentionOptions.Days"/>, with their nudges and triggers.</summary>
public sealed class InterviewRetention(
    IMemberDataRepository data,
    INudgeScheduler scheduler,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<InterviewRetention> logger)
{
    public async Task<RetentionRemoval> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.Days);
        var removal = await data.DeleteInterviewsClosedBeforeAsync(cutoff, cancellationToken);
        if (removal.NudgeIds.Count > 0) await scheduler.UnscheduleAsync(removal.NudgeIds, cancellationToken);
        if (removal.Interviews > 0)
            logger.LogInformation("Retention removed {Interviews} interviews closed before {Cutoff:O} and {Nudges} nudges",
                removal.Interviews, cutoff, removal.NudgeIds.Count);
        return removal;
    }
}
