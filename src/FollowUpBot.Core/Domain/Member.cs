namespace FollowUpBot.Core.Domain;

/// <summary>
/// A person using the bot on one platform. <see cref="Id"/> is 0 until stored. <see cref="HolidayCountry"/> is the
/// country whose public holidays are not business days for them: null follows the community's default
/// (Bot:HolidayCountry), <see cref="NoHolidays"/> means none.
/// </summary>
public sealed record Member(
    long Id,
    MemberKey Key,
    string TimeZoneId,
    QuietHours QuietHours,
    bool TimeZoneSetByMember,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActiveAt,
    DateTimeOffset? UnreachableSince = null,
    bool UnreachableNoticePending = false,
    string? HolidayCountry = null)
{
    public const string NoHolidays = "none";
}
