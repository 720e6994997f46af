namespace FollowUpBot.Core.Observability;

/// <summary>The last call an adapter made to its platform's API: when, whether the platform answered, and what.</summary>
public sealed record PlatformCall(DateTimeOffset At, bool Answered, string Detail);

/// <summary>
/// One adapter's record of its API calls: each is counted in <see cref="BotMetrics"/>, and the last one is kept for
/// the adapter's health check (HTTP modes have no connection to watch, so the last call is what tells).
/// </summary>
public sealed class PlatformCalls(string platform, BotMetrics metrics, TimeProvider time)
{
    private PlatformCall? _last;

    public string Platform => platform;

    public PlatformCall? Last => Volatile.Read(ref _last);

    /// <summary>The platform answered with <paramref name="status"/>.</summary>
    public void Answered(int status, string detail)
    {
        metrics.PlatformRequest(platform, status switch
        {
            >= 200 and < 300 => RequestOutcome.Ok,
            429 => RequestOutcome.RateLimited,
            >= 500 => RequestOutcome.ServerError,
            _ => RequestOutcome.Refused,
        });
        Volatile.Write(ref _last, new PlatformCall(time.GetUtcNow(), true, detail));
    }

    /// <summary>Nothing answered: <paramref name="detail"/> says what was tried and why it failed.</summary>
    public void NoResponse(string detail)
    {
        metrics.PlatformRequest(platform, RequestOutcome.NoResponse);
        Volatile.Write(ref _last, new PlatformCall(time.GetUtcNow(), false, detail));
    }

    public void WaitedForRateLimit(TimeSpan waited) => metrics.RateLimitWait(platform, waited);

    /// <summary>
    /// Why a request got no answer, in words: "connection refused at http://127.0.0.1:9". Names the server only:
    /// paths and query strings can carry tokens (Discord's interaction webhooks, Slack's response_url).
    /// </summary>
    public static string NoResponseReason(Exception e, Uri? server)
    {
        var where = server is null ? "" : $" at {server.GetLeftPart(UriPartial.Authority)}";
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException socket)
                return socket.SocketErrorCode switch
                {
                    System.Net.Sockets.SocketError.ConnectionRefused => $"connection refused{where}",
                    System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData
                        or System.Net.Sockets.SocketError.TryAgain => $"host name not found{where}",
                    System.Net.Sockets.SocketError.TimedOut => $"connection timed out{where}",
                    System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostUnreachable
                        => $"network unreachable{where}",
                    _ => $"{socket.SocketErrorCode}{where}",
                };
            if (inner is System.Security.Authentication.AuthenticationException) return $"TLS handshake failed{where}";
        }
        return e switch
        {
            TaskCanceledException or TimeoutException => $"no answer in time{where}",
            System.Net.Http.HttpRequestException { HttpRequestError: var error } when error != System.Net.Http.HttpRequestError.Unknown
                => $"{error}{where}",
            _ => $"{e.GetType().Name}{where}",
        };
    }
}

/// <summary>
/// How an HTTP-mode adapter judges its platform from its calls: the platform answered the last one, made within
/// <see cref="FreshFor"/>; an older or missing call is refreshed with a cheap probe first.
/// </summary>
public static class PlatformCallHealth
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(20);

    public static async Task<(bool Healthy, string Detail)> JudgeAsync(PlatformCalls calls, TimeProvider time,
        Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        if (calls.Last is not { } last || time.GetUtcNow() - last.At > FreshFor)
        {
            try
            {
                await probe(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The call itself was recorded; an exception only says how the adapter took the answer.
            }
        }
        return calls.Last is { } now
            ? (now.Answered, now.Answered ? $"last API call answered: {now.Detail}" : $"last API call got no answer: {now.Detail}")
            : (false, "no API call could be made");
    }
}
