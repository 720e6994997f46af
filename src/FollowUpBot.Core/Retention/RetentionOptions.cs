using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Core.Retention;

/// <summary>How long closed interviews are kept (section "Retention").</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Interviews whose outcome was recorded longer ago than this are removed by the nightly job.</summary>
    [Range(1, 36500)]
    public int Days { get; set; } = 365;

    /// <summary>When the nightly job runs, local time in Bot:DefaultTimeZone ("HH:mm").</summary>
    [Required]
    [RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Retention:RunAt must be a time of day such as 03:30.")]
    public string RunAt { get; set; } = "03:30";
}
