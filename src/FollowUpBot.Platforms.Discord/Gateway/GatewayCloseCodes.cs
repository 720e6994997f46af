namespace FollowUpBot.Platforms.Discord.Gateway;

/// <summary>What to do after the gateway connection ended.</summary>
public enum GatewayNext
{
    /// <summary>Reconnect to the resume URL and send Resume (missed events are replayed).</summary>
    Resume,
    /// <summary>Reconnect to the gateway URL and Identify afresh.</summary>
    Identify,
    /// <summary>Stop the bot: the configuration can never work.</summary>
    Fatal,
    /// <summary>The host is shutting down.</summary>
    Stop,
}

/// <summary>Discord's gateway close-code table.</summary>
public static class GatewayCloseCodes
{
    public static (GatewayNext Next, string Meaning) Classify(int? code) => code switch
    {
        4004 => (GatewayNext.Fatal, "authentication failed: Discord refused the bot token. Check Discord:Token"),
        4010 => (GatewayNext.Fatal, "invalid shard: check Discord:ShardId and Discord:ShardCount"),
        4011 => (GatewayNext.Fatal, "sharding required: the bot is in too many servers for one shard; set Discord:ShardCount"),
        4012 => (GatewayNext.Fatal, "invalid API version"),
        4013 => (GatewayNext.Fatal, "invalid intents"),
        4014 => (GatewayNext.Fatal, "disallowed intents: a privileged intent is not enabled in the developer portal"),
        4003 => (GatewayNext.Identify, "not authenticated"),
        4006 => (GatewayNext.Identify, "session no longer valid"),
        4007 => (GatewayNext.Identify, "invalid sequence"),
        4009 => (GatewayNext.Identify, "session timed out"),
        4000 => (GatewayNext.Resume, "unknown error"),
        4001 => (GatewayNext.Resume, "unknown opcode"),
        4002 => (GatewayNext.Resume, "decode error"),
        4005 => (GatewayNext.Resume, "already authenticated"),
        4008 => (GatewayNext.Resume, "rate limited"),
        null => (GatewayNext.Resume, "connection lost without a close frame"),
        _ => (GatewayNext.Resume, "closed"),
    };
}
