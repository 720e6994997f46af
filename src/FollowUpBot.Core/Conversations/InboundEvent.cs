using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// Who sent an event. <see cref="TimeZoneHint"/> is the platform's own idea of the member's IANA zone
/// (Slack's users.info), used unless the member set one themselves. <see cref="IsCoach"/> says whether the
/// platform's configuration makes this person a coach (a Discord role, Slack user ids or admins, the console's
/// --coach), decided by the adapter on every event; the engine checks it on every coach command and button.
/// </summary>
public sealed record MemberContext(MemberKey Key, string? TimeZoneHint = null, string? DisplayName = null, bool IsCoach = false);

/// <summary>Something a member did, in platform-neutral form.</summary>
public abstract record InboundEvent(MemberContext From);

/// <summary>
/// A slash command: <see cref="Name"/> is the command and sub-command, lower case ("interview done",
/// "followup settings"); <see cref="Options"/> are its name:value options as typed (names lower case).
/// </summary>
public sealed record SlashCommand(MemberContext From, string Name, IReadOnlyDictionary<string, string> Options)
    : InboundEvent(From);

/// <summary>A form answered: the values of the form's fields by name (absent or empty = skipped).</summary>
public sealed record FormSubmitted(MemberContext From, string FormId, IReadOnlyDictionary<string, string> Values)
    : InboundEvent(From);

/// <summary>A button pressed; <see cref="ButtonId"/> is the id the engine gave it.</summary>
public sealed record ButtonPressed(MemberContext From, string ButtonId) : InboundEvent(From);
