using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Core;

/// <summary>Engine-wide settings (section "Bot").</summary>
public sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary>IANA zone for members whose platform does not tell and who did not set one.</summary>
    [Required]
    public string DefaultTimeZone { get; set; } = "UTC";
}
