using System.Net;
using FollowUpBot.Dashboard;

namespace FollowUpBot.Testing.Dashboard;

/// <summary>
/// A browser without JavaScript, at the HTTP level: it does what the login page's script does (posts the link's
/// fragment), keeps the session cookie, and never follows redirects, so tests see each answer as sent.
/// </summary>
public sealed class DashboardClient(DashboardSite site) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = site.Address,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The session cookie's value, once a login set it.</summary>
    public string? Session { get; set; }

    /// <summary>The Set-Cookie header of the last login.</summary>
    public string? SetCookie { get; private set; }

    public async Task<HttpResponseMessage> LoginAsync(Uri link, string? origin = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login")
        {
            Content = new FormUrlEncodedContent([new("token", link.Fragment.TrimStart('#'))]),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            SetCookie = cookies.Single(c => c.StartsWith(DashboardEndpoints.CookieName + "=", StringComparison.Ordinal));
            Session = SetCookie.Split(';')[0][(DashboardEndpoints.CookieName.Length + 1)..];
        }
        return response;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await SendAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> SendAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (Session is not null) request.Headers.Add("Cookie", $"{DashboardEndpoints.CookieName}={Session}");
        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
