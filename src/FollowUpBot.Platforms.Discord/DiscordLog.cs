using FollowUpBot.Core.Delivery;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// The Discord adapter's log lines on its inbound path (gateway frames, interactions over the gateway or HTTP), source
/// generated so a line below the enabled level costs nothing, each with a stable event id (3001-3099) that operators
/// can filter on. One table, so ids stay unique. Interaction tokens never appear: lines name the interaction id only.
/// </summary>
internal static partial class DiscordLog
{
    // Interactions (InteractionHandler): 3001-3019.
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Ignored an interaction Discord sent: {Problem}")]
    public static partial void InteractionUnreadable(this ILogger logger, string? problem);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Answering interaction {InteractionId} (type {Type}) failed")]
    public static partial void InteractionFailed(this ILogger logger, Exception exception, string interactionId, int type);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Could not tell the member about the failure")]
    public static partial void FailureNotShown(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Ignored interaction {InteractionId}: it names no user")]
    public static partial void InteractionWithoutUser(this ILogger logger, string interactionId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Ignored interaction {InteractionId} of type {Type}")]
    public static partial void InteractionTypeIgnored(this ILogger logger, string interactionId, int type);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "The conversation engine failed on a {Event}")]
    public static partial void EngineFailed(this ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "A direct message asked for by the engine was not delivered: {Status}")]
    public static partial void DirectMessageNotDelivered(this ILogger logger, DeliveryStatus status);

    // The HTTP interactions endpoint (DiscordInteractionEndpoint): 3020-3029.
    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Refused an interaction request with a bad, missing or stale signature")]
    public static partial void SignatureRefused(this ILogger logger);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Interaction {InteractionId} was already handled; answered without running it again")]
    public static partial void InteractionAlreadyHandled(this ILogger logger, string interactionId);

    // The gateway connection's frames and dispatches (DiscordGateway): 3040-3059.
    [LoggerMessage(EventId = 3040, Level = LogLevel.Warning, Message = "Discord gateway sent a frame that is not JSON; ignored")]
    public static partial void GatewayFrameNotJson(this ILogger logger);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Information, Message = "Discord gateway ready (shard {Shard} of {Shards})")]
    public static partial void GatewayReady(this ILogger logger, int shard, int shards);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Information, Message = "Discord gateway session resumed (shard {Shard})")]
    public static partial void GatewayResumed(this ILogger logger, int shard);

    [LoggerMessage(EventId = 3043, Level = LogLevel.Warning, Message = "Discord gateway missed a heartbeat ACK; reconnecting")]
    public static partial void GatewayHeartbeatMissed(this ILogger logger);

    [LoggerMessage(EventId = 3044, Level = LogLevel.Information, Message = "Discord gateway disconnected ({Reason}); will {Next}")]
    public static partial void GatewayDisconnected(this ILogger logger, string reason, string next);
}
