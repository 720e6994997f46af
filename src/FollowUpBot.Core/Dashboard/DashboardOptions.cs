using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Core.Dashboard;

/// <summary>
/// The coaches' private web view (section "Dashboard"). Off unless <see cref="PublicUrl"/> is set: then
/// <c>/cohort dashboard</c> hands a coach a one-time link under that address, and the host serves the pages.
/// </summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string Section = "Dashboard";

    /// <summary>
    /// The address coaches' browsers reach the bot's web host at, as the reverse proxy publishes it
    /// ("https://bot.example.org"): scheme, host and port only. Empty: the web view is off.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Addresses (single IPs or CIDR ranges such as 10.0.0.0/8) of reverse proxies whose X-Forwarded-For and
    /// X-Forwarded-Proto headers are believed. Loopback is always trusted.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>How long a link from <c>/cohort dashboard</c> can be opened (once).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the browser session a link opens lasts.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool Enabled => !string.IsNullOrWhiteSpace(PublicUrl);

    /// <summary>The <see cref="PublicUrl"/> as an address (null when off; validation refuses one that is not).</summary>
    public Uri? BaseUri => Enabled && Uri.TryCreate(PublicUrl!.Trim(), UriKind.Absolute, out var url) ? url : null;

    public bool IsHttps => BaseUri?.Scheme == Uri.UriSchemeHttps;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled)
        {
            if (!Uri.TryCreate(PublicUrl!.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                yield return new ValidationResult($"Dashboard:PublicUrl must be an http(s) address such as https://bot.example.org (got '{PublicUrl}').",
                    [nameof(PublicUrl)]);
            else if (url.AbsolutePath.Trim('/').Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
                yield return new ValidationResult($"Dashboard:PublicUrl is the site's address only, without a path (got '{PublicUrl}'); "
                    + "the pages live under /dashboard.", [nameof(PublicUrl)]);
        }
        foreach (var proxy in TrustedProxies)
        {
            if (!System.Net.IPNetwork.TryParse(proxy.Contains('/') ? proxy : proxy + (proxy.Contains(':') ? "/128" : "/32"), out _))
                yield return new ValidationResult($"Dashboard:TrustedProxies: '{proxy}' is not an IP address or CIDR range such as 10.0.0.0/8.",
                    [nameof(TrustedProxies)]);
        }
    }
}
