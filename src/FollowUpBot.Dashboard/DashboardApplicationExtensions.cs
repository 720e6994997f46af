using System.Net;
using FollowUpBot.Core.Dashboard;
using FollowUpBot.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class DashboardApplicationExtensions
{
    /// <summary>
    /// The web view on this web host: the X-Forwarded-For and X-Forwarded-Proto of the trusted reverse proxies
    /// (loopback and Dashboard:TrustedProxies) are believed, then /dashboard is mapped. Call only when
    /// Dashboard:PublicUrl is set.
    /// </summary>
    public static WebApplication UseCoachDashboard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        foreach (var proxy in options.TrustedProxies)
        {
            if (proxy.Contains('/')) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            else forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        app.UseForwardedHeaders(forwarded);
        app.MapCoachDashboard();
        return app;
    }
}
