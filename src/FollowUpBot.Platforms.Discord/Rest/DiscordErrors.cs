namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>Sorts Discord's answers into the kit's error kinds: by status, and by Discord's JSON error code where the
/// status alone does not say (a 403 about a member's DMs is not a missing permission).</summary>
public static class DiscordErrors
{
    public const string Platform = "Discord";

    /// <summary>Discord: "Cannot send messages to this user" and "no mutual guilds".</summary>
    private static readonly HashSet<int> MemberUnreachableCodes = [50007, 50278];

    public const int UnknownChannel = 10003;
    public const int MissingPermissions = 50013;

    public static PlatformErrorKind Classify(int status, int? code) => status switch
    {
        // A token Discord refuses never starts working (DiscordAuthHandler stops the bot).
        401 => PlatformErrorKind.FatalConfiguration,
        403 when code is { } c && MemberUnreachableCodes.Contains(c) => PlatformErrorKind.MemberUnreachable,
        429 or >= 500 => PlatformErrorKind.Retryable,
        _ => PlatformErrorKind.Permanent,
    };

    /// <summary>Whether Discord answered with this status and this JSON error code.</summary>
    public static bool Is(this PlatformError? error, int status, int code) =>
        error is PlatformRefused refused && refused.Status == status && refused.ErrorCode == Code(code);

    /// <summary>Discord's numeric error code as the kit's <see cref="PlatformRefused.ErrorCode"/>.</summary>
    public static string Code(int code) => code.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
