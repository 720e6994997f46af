using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Platforms.Discord;

public enum DiscordMode
{
    /// <summary>Interactions arrive over the gateway WebSocket (no public URL needed).</summary>
    Gateway,
    /// <summary>Interactions arrive at POST /discord/interactions (the portal's Interactions Endpoint URL).</summary>
    Http,
}

/// <summary>Settings of the Discord adapter (section "Discord").</summary>
public sealed class DiscordOptions : IValidatableObject
{
    public const string Section = "Discord";

    /// <summary>The bot token from the developer portal. Never logged.</summary>
    [Required(ErrorMessage = "Discord:Token is required (the bot token from the developer portal).")]
    public string Token { get; set; } = "";

    /// <summary>The application id; read from GET /applications/@me when not set.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>The application's hex public key, needed to verify requests in HTTP mode.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Register the commands in this guild only (they update at once; handy in development).</summary>
    public string? GuildId { get; set; }

    /// <summary>Roles whose members are coaches (comma-separated role ids) for the /cohort coach commands.</summary>
    public string? CoachRoleIds { get; set; }

    /// <summary>Whether members with Administrator or Manage Server permission count as coaches too.</summary>
    public bool AdminsAreCoaches { get; set; } = true;

    [Required]
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>Overrides the URL GET /gateway/bot returns.</summary>
    public string? GatewayUrl { get; set; }

    /// <summary>
    /// Pins this instance to one shard (0 to ShardCount - 1), as before shard leases. Unset (the default), the
    /// instances claim the shards through leases in the database, and a survivor takes over a dead instance's shard.
    /// </summary>
    [Range(0, 16383)]
    public int? ShardId { get; set; }

    /// <summary>How many shards the bot runs in all, the same on every instance.</summary>
    [Range(1, 16384)]
    public int ShardCount { get; set; } = 1;

    /// <summary>
    /// How long a shard lease lasts without renewal: after an instance dies, its shards are taken over once this has
    /// passed since its last renewal (plus a renewal interval or two), so it bounds how long the shard's servers go
    /// unanswered. Every instance must use the same value.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.300", "00:10:00")]
    public TimeSpan ShardLeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an instance renews its shard leases and looks for free shards. An instance whose renewals fail stops
    /// a shard's connection one interval before the lease could expire, so no shard is connected twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:03:20")]
    public TimeSpan ShardLeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Whether this instance overwrites the application's slash commands at start. The commands belong to the bot,
    /// not to an instance. Unset (the default): the first instance to start with a given set of commands claims a
    /// mark in the database and overwrites them; the others, and later restarts with the same commands, do not.
    /// false: never; true: at every start, whatever the mark says.
    /// </summary>
    public bool? RegisterCommands { get; set; }

    /// <summary>Whether shards are claimed through leases (no <see cref="ShardId"/> pinned).</summary>
    public bool LeasesShards => ShardId is null;

    public DiscordMode Mode { get; set; } = DiscordMode.Gateway;

    /// <summary>When the engine has not answered an interaction after this long, the adapter defers
    /// (Discord closes the window at 3 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:02.500")]
    public TimeSpan DeferAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Tries per REST request, counting the first, before a 429/5xx/network error is given back.</summary>
    [Range(1, 10)]
    public int MaxRestAttempts { get; set; } = 4;

    /// <summary>Longest rate-limit wait the adapter sits out itself; longer ones go back to the caller as "retry later".</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First delay before reconnecting the gateway; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan FirstReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Discord allows one Identify per 5 s per concurrency bucket.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan IdentifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>HTTP mode: signed requests older (or newer) than this are refused as replays.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxSignatureAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Responses of 401/403/429 tolerated per minute before requests are held back (Discord bans
    /// an IP at 10,000 in 10 minutes; we stay far below).</summary>
    [Range(1, 1000)]
    public int MaxInvalidRequestsPerMinute { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Token.Any(char.IsWhiteSpace))
            yield return new ValidationResult("Discord:Token must not contain spaces (give the bare token, without \"Bot \").", [nameof(Token)]);
        if (ShardId >= ShardCount)
            yield return new ValidationResult("Discord:ShardId must be less than Discord:ShardCount.", [nameof(ShardId)]);
        if (ShardLeaseRenewInterval * 3 > ShardLeaseDuration)
            yield return new ValidationResult(
                $"Discord:ShardLeaseRenewInterval ({ShardLeaseRenewInterval}) must be at most a third of Discord:ShardLeaseDuration ({ShardLeaseDuration}), " +
                "so a lease is renewed several times before it could expire.", [nameof(ShardLeaseRenewInterval)]);
        if (!IsHttpUrl(ApiBaseUrl))
            yield return new ValidationResult("Discord:ApiBaseUrl must be an absolute http(s) URL.", [nameof(ApiBaseUrl)]);
        if (GatewayUrl is { Length: > 0 } && !(Uri.TryCreate(GatewayUrl, UriKind.Absolute, out var g) && g.Scheme is "ws" or "wss"))
            yield return new ValidationResult("Discord:GatewayUrl must be an absolute ws(s) URL.", [nameof(GatewayUrl)]);
        if (ApplicationId is { Length: > 0 } && !ApplicationId.All(char.IsAsciiDigit))
            yield return new ValidationResult("Discord:ApplicationId must be the numeric application id.", [nameof(ApplicationId)]);
        if (GuildId is { Length: > 0 } && !GuildId.All(char.IsAsciiDigit))
            yield return new ValidationResult("Discord:GuildId must be a numeric server id.", [nameof(GuildId)]);
        if (CoachRoleIds is { Length: > 0 } roles && !roles.Split(',', StringSplitOptions.TrimEntries).All(r => r.Length > 0 && r.All(char.IsAsciiDigit)))
            yield return new ValidationResult("Discord:CoachRoleIds must be role ids separated by commas.", [nameof(CoachRoleIds)]);
        if (Mode == DiscordMode.Http && !IsPublicKey(PublicKey))
            yield return new ValidationResult("Discord:PublicKey (64 hex characters, from the portal) is required when Discord:Mode is http.", [nameof(PublicKey)]);
        if (PublicKey is { Length: > 0 } && !IsPublicKey(PublicKey))
            yield return new ValidationResult("Discord:PublicKey must be 64 hex characters.", [nameof(PublicKey)]);
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https";

    private static bool IsPublicKey(string? key) => key is { Length: 64 } && key.All(char.IsAsciiHexDigit);

    /// <summary>Keeps the token out of anything that prints the options.</summary>
    public override string ToString() => $"Discord(Mode={Mode}, ApiBaseUrl={ApiBaseUrl}, Shard=[{ShardId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "leased"},{ShardCount}])";
}
