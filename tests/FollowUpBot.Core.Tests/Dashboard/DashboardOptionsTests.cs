using System.ComponentModel.DataAnnotations;
using FollowUpBot.Core.Dashboard;

namespace FollowUpBot.Core.Tests.Dashboard;

public sealed class DashboardOptionsTests
{
    private static IReadOnlyList<string> Problems(DashboardOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://bot.example.org")]
    [InlineData("https://bot.example.org/")]
    [InlineData("http://127.0.0.1:8080")]
    public void AnEmptyOrSiteAddressIsAccepted(string? url) => Assert.Empty(Problems(new DashboardOptions { PublicUrl = url }));

    [Theory]
    [InlineData("bot.example.org", "must be an http(s) address")]
    [InlineData("ftp://bot.example.org", "must be an http(s) address")]
    [InlineData("https://bot.example.org/followupbot", "without a path")]
    [InlineData("https://bot.example.org/?x=1", "without a path")]
    public void AMistypedPublicUrlIsRefusedNamingTheSetting(string url, string problem)
    {
        var message = Assert.Single(Problems(new DashboardOptions { PublicUrl = url }));
        Assert.StartsWith("Dashboard:PublicUrl", message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public void TrustedProxiesAreAddressesOrRanges()
    {
        Assert.Empty(Problems(new DashboardOptions { TrustedProxies = ["10.0.0.0/8", "192.168.1.10", "::1", "fd00::/8"] }));
        Assert.Contains("'proxy.local' is not an IP address", Assert.Single(Problems(new DashboardOptions { TrustedProxies = ["proxy.local"] })));
    }

    [Fact]
    public void OffWithoutAPublicUrl()
    {
        Assert.False(new DashboardOptions().Enabled);
        Assert.Null(new DashboardOptions().BaseUri);
        Assert.True(new DashboardOptions { PublicUrl = "https://bot.example.org" }.IsHttps);
        Assert.False(new DashboardOptions { PublicUrl = "http://bot.example.org" }.IsHttps);
    }

    [Fact]
    public void TokensAreLongRandomAndOnlyTheirShapeIsAccepted()
    {
        var a = DashboardTokens.New();
        Assert.True(DashboardTokens.LooksValid(a));
        Assert.NotEqual(a, DashboardTokens.New());
        Assert.Equal(64, DashboardTokens.Hash(a).Length);
        Assert.False(DashboardTokens.LooksValid(a[..42]));
        Assert.False(DashboardTokens.LooksValid(a[..42] + "/"));
        Assert.False(DashboardTokens.LooksValid(null));
    }
}
