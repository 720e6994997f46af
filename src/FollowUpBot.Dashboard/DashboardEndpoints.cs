using System.Security.Cryptography;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Dashboard;

/// <summary>
/// The web view's routes under /dashboard. A one-time link's page posts its token (from the URL fragment) to
/// /dashboard/login, which opens a session: an HttpOnly, SameSite=Lax cookie (Secure when the site is https) holding
/// a random token whose hash the store keeps with the coach's id. Every page looks the session up and reads the
/// coach's numbers afresh, so a member who changes their level or leaves shows so on the next load; a cohort of
/// another coach answers exactly like a missing one. Tokens are never logged.
/// </summary>
public static class DashboardEndpoints
{
    public const string CookieName = "followupbot_dashboard";

    public static IEndpointRouteBuilder MapCoachDashboard(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(DashboardPages.Root);
        group.MapGet("/login", (HttpContext http) => Page(http, nonce => DashboardPages.Login(nonce)));
        group.MapPost("/login", LoginAsync);
        group.MapPost("/logout", LogoutAsync);
        group.MapGet("/", CohortsAsync);
        group.MapGet("/cohorts/{cohortId:long}", CohortAsync);
        group.MapGet("/cohorts/{cohortId:long}/trends", TrendsAsync);
        group.MapGet("/cohorts/{cohortId:long}/members/{memberId:long}", MemberAsync);
        group.MapGet("/cohorts/{cohortId:long}/chart.png", ChartAsync);
        return endpoints;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, CoachDashboard dashboard, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(DashboardEndpoints));
        if (!SameSite(http, dashboard))
            return Page(http, n => DashboardPages.Message("Not signed in", "That sign-in came from another site, so it was refused.", n), StatusCodes.Status403Forbidden);
        var token = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(cancellationToken))["token"].ToString() : null;
        var session = await dashboard.RedeemAsync(token, cancellationToken);
        if (session is null)
        {
            logger.LogInformation("A web view link was refused: unknown, expired or already used");
            return Page(http, n => DashboardPages.Message("This link no longer works",
                $"Links work once and only for {dashboard.Options.LinkLifetime.TotalMinutes:0} minutes. Ask the bot for a new one with /cohort dashboard.", n),
                StatusCodes.Status403Forbidden);
        }
        http.Response.Cookies.Append(CookieName, session.Token, new CookieOptions
        {
            HttpOnly = true,
            Secure = dashboard.Options.IsHttps || http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = DashboardPages.Root,
            Expires = session.ExpiresAt,
            MaxAge = dashboard.Options.SessionLifetime,
        });
        logger.LogInformation("Coach {CoachMemberId} opened the web view (session until {ExpiresAt:u})", session.CoachMemberId, session.ExpiresAt);
        // See Other: the browser follows with a GET, so a reload never posts the used link again.
        http.Response.Headers.Location = DashboardPages.Root + "/";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, CoachDashboard dashboard, CancellationToken cancellationToken)
    {
        if (!SameSite(http, dashboard)) return Results.StatusCode(StatusCodes.Status403Forbidden);
        await dashboard.EndSessionAsync(http.Request.Cookies[CookieName], cancellationToken);
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = DashboardPages.Root });
        return Page(http, n => DashboardPages.Message("Signed out", "You are signed out of the web view. /cohort dashboard gives you a new link.", n));
    }

    private static Task<IResult> CohortsAsync(HttpContext http, CoachDashboard dashboard, CancellationToken cancellationToken) =>
        WithCoachAsync(http, dashboard, async coach =>
        {
            var cohorts = await dashboard.CohortsOfAsync(coach, cancellationToken);
            return Page(http, n => DashboardPages.Cohorts(cohorts, n));
        }, cancellationToken);

    private static Task<IResult> CohortAsync(HttpContext http, long cohortId, string? sort, string? order, string? filter,
        CoachDashboard dashboard, IServiceProvider services, CancellationToken cancellationToken) =>
        WithNumbersAsync(http, dashboard, cohortId, numbers =>
            Page(http, n => DashboardPages.Cohort(numbers, TableView.Parse(sort, order, filter), HasCharts(services), n)), cancellationToken);

    private static Task<IResult> TrendsAsync(HttpContext http, long cohortId, CoachDashboard dashboard, IServiceProvider services,
        CancellationToken cancellationToken) =>
        WithNumbersAsync(http, dashboard, cohortId, numbers => Page(http, n => DashboardPages.Trends(numbers, HasCharts(services), n)), cancellationToken);

    private static Task<IResult> MemberAsync(HttpContext http, long cohortId, long memberId, CoachDashboard dashboard, CancellationToken cancellationToken) =>
        WithNumbersAsync(http, dashboard, cohortId, numbers =>
            numbers.Members.FirstOrDefault(m => m.MemberId == memberId) is { } member
                ? Page(http, n => DashboardPages.Member(numbers, member, n))
                : Page(http, n => DashboardPages.Message("Not in this cohort",
                    "This member is not in the cohort (any more): members may leave at any time, and then their page is gone.", n, signedIn: true),
                    StatusCodes.Status404NotFound),
            cancellationToken);

    private static Task<IResult> ChartAsync(HttpContext http, long cohortId, CoachDashboard dashboard, IServiceProvider services,
        CancellationToken cancellationToken) =>
        WithNumbersAsync(http, dashboard, cohortId, numbers =>
        {
            if (CohortChart.Render(numbers, services.GetService<ICohortChartRenderer>()) is not { } chart) return Results.NotFound();
            NoStore(http);
            return Results.File(chart.Content, chart.ContentType);
        }, cancellationToken);

    // ---- shared

    /// <summary>Runs <paramref name="page"/> for the session's coach, or answers that there is no session.</summary>
    private static async Task<IResult> WithCoachAsync(HttpContext http, CoachDashboard dashboard, Func<long, Task<IResult>> page,
        CancellationToken cancellationToken)
    {
        var coach = await dashboard.CoachOfAsync(http.Request.Cookies[CookieName], cancellationToken);
        if (coach is null)
            return Page(http, n => DashboardPages.Message("Not signed in",
                "Your session ended or was never opened. Ask the bot for a link with /cohort dashboard; it signs this browser in for "
                + $"{dashboard.Options.SessionLifetime.TotalHours:0.#} hours.", n), StatusCodes.Status401Unauthorized);
        return await page(coach.Value);
    }

    private static Task<IResult> WithNumbersAsync(HttpContext http, CoachDashboard dashboard, long cohortId, Func<CoachNumbers, IResult> page,
        CancellationToken cancellationToken) =>
        WithCoachAsync(http, dashboard, async coach =>
            await dashboard.NumbersAsync(coach, cohortId, cancellationToken) is { } numbers
                ? page(numbers)
                // Another coach's cohort looks exactly like a missing one.
                : Page(http, n => DashboardPages.Message("No such cohort", "None of your cohorts has that number.", n, signedIn: true),
                    StatusCodes.Status404NotFound),
            cancellationToken);

    private static bool HasCharts(IServiceProvider services) => services.GetService<ICohortChartRenderer>() is not null;

    /// <summary>
    /// Whether a form post came from the web view's own pages rather than another site (login CSRF, a forced sign-out):
    /// browsers say so in Sec-Fetch-Site, and older ones in Origin ("null" when a referrer policy hides it).
    /// </summary>
    private static bool SameSite(HttpContext http, CoachDashboard dashboard)
    {
        var fetchSite = http.Request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0) return fetchSite is "same-origin" or "none";
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null") return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from)) return false;
        var site = dashboard.Options.BaseUri;
        var own = $"{http.Request.Scheme}://{http.Request.Host}";
        return string.Equals(from.GetLeftPart(UriPartial.Authority), site?.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
               || string.Equals(from.GetLeftPart(UriPartial.Authority), own, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A page with its security headers: scripts and styles only with this response's nonce, no framing, no caching.</summary>
    private static IResult Page(HttpContext http, Func<string, string> page, int status = StatusCodes.Status200OK)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; img-src 'self'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        // Same-origin: our own pages' posts carry their Origin; no other site learns the address (the link's key
        // never is in it: it lives in the fragment, and the login page removes it).
        headers["Referrer-Policy"] = "same-origin";
        NoStore(http);
        return Results.Content(page(nonce), "text/html; charset=utf-8", statusCode: status);
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";
}
