namespace FollowUpBot.Core.Domain;

/// <summary>A person using the bot on one platform. <see cref="Id"/> is 0 until stored.</summary>
public sealed record Member(
    long Id,
    MemberKey Key,
    string TimeZoneId,
    QuietHours QuietHours,
    bool TimeZoneSetByMember,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActiveAt,
    DateTimeOffset? UnreachableSince = null,
    bool UnreachableNoticePending = false);
