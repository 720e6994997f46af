using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Core.Delivery;

/// <summary>How failed sends are retried (section "Delivery").</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Sends tried before a nudge shows as failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubles each attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A nudge delivered more than this after its due time is worded as late.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan LateAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Due nudges one trigger's firing claims and delivers together, at most: the fired nudge and others due by then.
    /// A burst due at one instant then goes out as fast as the database allows instead of waiting for the scheduler
    /// to fire each trigger (the triggers of nudges already delivered find nothing to do); the sends of one group go
    /// out one after another, in due order. 1 delivers each nudge on its own trigger only.
    /// </summary>
    [Range(1, 200)]
    public int ClaimBatchSize { get; set; } = 20;
}
