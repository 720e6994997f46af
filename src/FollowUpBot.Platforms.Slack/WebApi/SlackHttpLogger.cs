using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Slack.WebApi;

/// <summary>
/// The Slack HttpClient's only logger. The default one logs every request URI at Information, and some of Slack's
/// URIs are credentials (an interaction's response_url, a file's upload_url): here a Web API call is named by its
/// method (chat.postMessage) and any other URL by its host alone.
/// </summary>
internal sealed class SlackHttpLogger(ILogger<SlackHttpLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        logger.LogDebug("Slack {Target}: HTTP {Status} in {Elapsed} ms", Target(request), (int)response.StatusCode, (int)elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        logger.LogDebug("Slack {Target}: failed after {Elapsed} ms ({Error})", Target(request), (int)elapsed.TotalMilliseconds, exception.GetType().Name);

    /// <summary>"chat.postMessage" for the Web API; "hooks.slack.com (URL not logged)" for anything else.</summary>
    internal static string Target(HttpRequestMessage request)
    {
        if (request.RequestUri is not { } uri) return "(no URL)";
        var segments = uri.IsAbsoluteUri ? uri.Segments : [];
        return segments.Length == 3 && segments[1] == "api/" && !segments[2].Contains('/')
            ? segments[2]
            : $"{(uri.IsAbsoluteUri ? uri.Host : "?")} (URL not logged)";
    }
}
