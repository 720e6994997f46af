using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Observability;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Kit.Http;

/// <summary>
/// What a failed call means to the bot, whatever the platform: each adapter's classifier (Discord's JSON error codes,
/// Slack's <c>error</c> strings) sorts its answers into these, and <see cref="PlatformCallResult.ToDeliveryResult"/>
/// turns them into Core's <see cref="DeliveryStatus"/>.
/// </summary>
public enum PlatformErrorKind
{
    /// <summary>This call will never work as it is (a bad request, an unknown channel, a missing permission).</summary>
    Permanent,
    /// <summary>The platform is busy, broken or out of reach for a moment: try again later.</summary>
    Retryable,
    /// <summary>The member cannot be messaged (DMs closed, left, a bot): nothing to retry until they change that.</summary>
    MemberUnreachable,
    /// <summary>The bot's configuration is wrong (a refused token): nothing works until an operator fixes it. The send
    /// stays pending; the adapter stops the bot (<see cref="FatalStop"/>).</summary>
    FatalConfiguration,
}

/// <summary>
/// Why a platform call did not succeed. <see cref="Code"/> is a short token for details and logs (the platform's own
/// error code, or <c>http_503</c>, <c>ratelimited</c>, <c>network_error</c>, <c>not_sent</c>); <see cref="Describe"/> is
/// the sentence an operator reads. Neither ever holds a token or a full URL (some URLs are credentials).
/// </summary>
public abstract record PlatformError(string Platform, PlatformErrorKind Kind)
{
    /// <summary>When to come back, when the platform said so (or the adapter knows better than the caller's backoff).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public abstract string Code { get; }

    public abstract string Describe();

    /// <summary>For a log line or a detail that names the platform's codes: the <see cref="Code"/> when the platform
    /// answered, what was tried and why (<see cref="Describe"/>) when it did not.</summary>
    public virtual string Summary => Describe();
}

/// <summary>The platform answered, and refused: an HTTP error status or an error in the body (Slack's ok:false).
/// "Refused" is said only here, when the platform did answer.</summary>
public record PlatformRefused(string Platform, PlatformErrorKind Kind, int Status, string? ErrorCode, string? Message = null)
    : PlatformError(Platform, Kind)
{
    public override string Code => ErrorCode ?? $"http_{Status}";

    public override string Summary => Code;

    public override string Describe() =>
        ErrorCode is { } code ? $"HTTP {Status}, {Platform} code {code}{(Message is null ? "" : ": " + Message)}"
        : $"HTTP {Status}{(Message is null ? "" : ": " + Message)}";
}

/// <summary>The platform answered 429 and the retries gave up (or the wait was longer than anyone should block).</summary>
public sealed record PlatformRateLimited(string Platform, int Status, string? ErrorCode, string? Message = null)
    : PlatformRefused(Platform, PlatformErrorKind.Retryable, Status, ErrorCode, Message)
{
    public override string Code => ErrorCode ?? "ratelimited";
}

/// <summary>Nothing answered after the retries: a network error or a timeout. <paramref name="Tried"/> names the call
/// (a route or method, never a URL); <paramref name="Reason"/> says why and where (the server's scheme, host and port
/// only, <see cref="PlatformCalls.NoResponseReason"/>).</summary>
public sealed record PlatformNoAnswer(string Platform, string Tried, string Reason) : PlatformError(Platform, PlatformErrorKind.Retryable)
{
    public override string Code => "network_error";

    public override string Describe() => $"no response from {Platform} ({Reason})";
}

/// <summary>The adapter did not send the call: it stopped after a fatal error, holds requests back to protect the
/// token (<see cref="PlatformHeldBackException"/>), or the call could never be valid (not an id of that platform).</summary>
public sealed record PlatformNotSent(string Platform, PlatformErrorKind Kind, string Reason) : PlatformError(Platform, Kind)
{
    public override string Code => "not_sent";

    public override string Describe() => $"not sent to {Platform}: {Reason}";
}

/// <summary>
/// What one platform call came to, the same for every adapter: success with the answer's JSON body, or a
/// <see cref="PlatformError"/>. Adapter clients return it rather than throw, so callers decide what a failure means to
/// them, and the mapping to Core's <see cref="DeliveryResult"/> is written once. <see cref="Status"/> is the HTTP status,
/// 0 when nothing answered.
/// </summary>
public sealed record PlatformCallResult(int Status, JsonElement? Body, PlatformError? Error = null)
{
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static PlatformCallResult Success(int status, JsonElement? body) => new(status, body);

    public static PlatformCallResult Failed(PlatformError error, int status = 0, JsonElement? body = null) => new(status, body, error);

    /// <summary>"HTTP 200" on success, the error's description otherwise.</summary>
    public string Describe() => Error?.Describe() ?? $"HTTP {Status}";

    /// <summary>A string property of the body's root object, or null.</summary>
    public string? GetString(string property) =>
        Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>
    /// The delivery the call came to. <paramref name="toMember"/> is false for a channel post: an error about a member
    /// there is a permanent failure, not a member to mark. A fatal configuration error is "retry later": the send stays
    /// pending until the operator fixes the setting and restarts. <paramref name="detail"/> words the result's detail
    /// (<see cref="PlatformError.Describe"/> unless the adapter records its codes); <paramref name="retryAfter"/> is the
    /// wait when the error does not say one.
    /// </summary>
    public DeliveryResult ToDeliveryResult(bool toMember = true, Func<PlatformError, string>? detail = null, TimeSpan? retryAfter = null)
    {
        if (Error is not { } error) return DeliveryResult.Delivered;
        var text = detail?.Invoke(error) ?? error.Describe();
        return error.Kind switch
        {
            PlatformErrorKind.Retryable or PlatformErrorKind.FatalConfiguration =>
                new DeliveryResult(DeliveryStatus.RetryLater, text, error.RetryAfter ?? retryAfter),
            PlatformErrorKind.MemberUnreachable when toMember => new DeliveryResult(DeliveryStatus.Unreachable, text),
            _ => new DeliveryResult(DeliveryStatus.PermanentFailure, text),
        };
    }

    /// <summary>
    /// Sends <paramref name="request"/> through an adapter's pipeline; an answer goes to <paramref name="read"/> (the adapter's classifier). No answer
    /// after the pipeline's retries is <see cref="PlatformNoAnswer"/> (logged as a warning naming <paramref name="name"/>
    /// and the server, never the full URL); a request an inner handler held back is <see cref="PlatformNotSent"/>.
    /// The caller cancelling still throws.
    /// </summary>
    public static async Task<PlatformCallResult> SendAsync(HttpClient http, HttpRequestMessage request, string platform, string name,
        Func<HttpResponseMessage, CancellationToken, Task<PlatformCallResult>> read, ILogger logger, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (PlatformHeldBackException held)
        {
            return PlatformCallResult.Failed(new PlatformNotSent(platform, PlatformErrorKind.Retryable, held.Message) { RetryAfter = held.RetryAfter });
        }
        catch (Exception e) when (PlatformRetry.IsTransient(e, cancellationToken))
        {
            var reason = PlatformCalls.NoResponseReason(e, request.RequestUri);
            logger.LogWarning("{Platform} {Call}: no response ({Reason})", platform, name, reason);
            return PlatformCallResult.Failed(new PlatformNoAnswer(platform, name, reason));
        }
        using (response) return await read(response, cancellationToken).ConfigureAwait(false);
    }
}
