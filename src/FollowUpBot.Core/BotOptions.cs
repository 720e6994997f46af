using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Core;

/// <summary>Engine-wide settings (section "Bot").</summary>
public sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary>IANA zone for members whose platform does not tell and who did not set one.</summary>
    [Required]
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>
    /// ISO country code (US, GB, DE, ...) whose public holidays are not business days for members who did not choose
    /// their own (<c>/followup settings holidays:</c>); empty for none.
    /// </summary>
    public string HolidayCountry { get; set; } = "";
}
