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
}
