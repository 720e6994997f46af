using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Slack;

/// <summary>
/// The Slack adapter's log lines on its inbound path (Socket Mode frames and envelopes, HTTP requests, commands,
/// interactions and events), source generated so a line below the enabled level costs nothing, each with a stable event
/// id (4001-4099) that operators can filter on. One table, so ids stay unique. Lines name envelope, trigger or event
/// ids and users, never a token or a response_url.
/// </summary>
internal static partial class SlackLog
{
    // Deliveries (SlackInbound): 4001-4019.
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Slack sent a {Kind} delivery without a payload object; ignored")]
    public static partial void DeliveryWithoutPayload(this ILogger logger, string kind);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Slack redelivered {Kind} {Key}; already handled")]
    public static partial void RedeliveryAlreadyHandled(this ILogger logger, string kind, string key);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "Slack redelivered {Kind} {Key} (attempt {Attempt}); without a shared record of handled interactions it is not run again")]
    public static partial void RedeliveryNotRunWithoutRecord(this ILogger logger, string kind, string key, int attempt);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Slack redelivered {Kind} {Key} (attempt {Attempt}); it ran already, not run again")]
    public static partial void RedeliveryRanAlready(this ILogger logger, string kind, string key, int attempt);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information,
        Message = "Slack redelivered {Kind} {Key} (attempt {Attempt}); no earlier delivery committed anything, so it runs now")]
    public static partial void RedeliveryRunsNow(this ILogger logger, string kind, string key, int attempt);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Slack sent a malformed {Kind} payload ({Error}); ignored")]
    public static partial void MalformedPayload(this ILogger logger, string kind, string error);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "A submitted Slack view carried no form id; ignored")]
    public static partial void ViewWithoutFormId(this ILogger logger);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Slack event {Type} ignored")]
    public static partial void EventIgnored(this ILogger logger, string type);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Debug, Message = "Slack sent {What}; nothing to do")]
    public static partial void NothingToDo(this ILogger logger, string what);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Handling a Slack interaction failed")]
    public static partial void InteractionFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "The Slack adapter cannot render {Action}")]
    public static partial void CannotRender(this ILogger logger, string action);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Could not show the answer ({Action}) to {User}: {Error}")]
    public static partial void AnswerNotShown(this ILogger logger, string action, string user, string error);

    // Socket Mode connections' frames (SocketModeConnection): 4020-4039.
    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Slack socket {Id} closed ({Status})")]
    public static partial void SocketClosed(this ILogger logger, int id, WebSocketCloseStatus? status);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Slack socket {Id} dropped: {Error}")]
    public static partial void SocketDropped(this ILogger logger, int id, string error);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "Slack socket {Id} sent a frame that is not JSON; ignored")]
    public static partial void FrameNotJson(this ILogger logger, int id);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Warning, Message = "Slack socket {Id} sent a frame that is not an object; ignored")]
    public static partial void FrameNotObject(this ILogger logger, int id);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Information, Message = "Slack socket {Id}: disconnect ({Reason})")]
    public static partial void SocketDisconnect(this ILogger logger, int id, string reason);

    [LoggerMessage(EventId = 4025, Level = LogLevel.Debug, Message = "Slack socket {Id}: frame of type {Type} ignored")]
    public static partial void FrameIgnored(this ILogger logger, int id, string type);

    // Socket Mode slots and envelope dispatch (SocketModeService): 4040-4059.
    [LoggerMessage(EventId = 4040, Level = LogLevel.Warning, Message = "Slack socket slot {Slot}: connecting failed ({Error}); retrying in {Delay}")]
    public static partial void SocketConnectFailed(this ILogger logger, int slot, string error, TimeSpan delay);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Information, Message = "Slack socket {Id} open (slot {Slot})")]
    public static partial void SocketOpen(this ILogger logger, int id, int slot);

    [LoggerMessage(EventId = 4042, Level = LogLevel.Error, Message = "Slack envelope {EnvelopeId} ({Type}) could not be handled")]
    public static partial void EnvelopeFailed(this ILogger logger, Exception exception, string envelopeId, string type);

    [LoggerMessage(EventId = 4043, Level = LogLevel.Warning, Message = "Could not ack Slack envelope {EnvelopeId} on socket {Id}: {Error}")]
    public static partial void AckFailed(this ILogger logger, string envelopeId, int id, string error);

    [LoggerMessage(EventId = 4044, Level = LogLevel.Warning,
        Message = "Slack socket slot {Slot}: Slack allows at most 10 Socket Mode connections per app, counted over all " +
                  "running instances; lower Slack:SocketConnections so that instances x connections stays within 10")]
    public static partial void SocketsCrowded(this ILogger logger, int slot);

    // The HTTP endpoints (HttpMode): 4060-4069.
    [LoggerMessage(EventId = 4060, Level = LogLevel.Warning, Message = "Rejected a request to {Path}: missing, stale or wrong Slack signature")]
    public static partial void SignatureRejected(this ILogger logger, string path);

    [LoggerMessage(EventId = 4061, Level = LogLevel.Warning, Message = "Slack sent an unreadable {Kind} request ({Error})")]
    public static partial void UnreadableRequest(this ILogger logger, string kind, string error);
}
