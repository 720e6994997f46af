using System.Security.Cryptography;
using System.Text;

namespace FollowUpBot.Core.Dashboard;

/// <summary>
/// Link and session tokens: 256 random bits, URL-safe. The store keeps only their SHA-256 (a leaked copy of the
/// database opens nothing; the tokens are random, so no salt or slow hash is needed).
/// </summary>
public static class DashboardTokens
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The shape <see cref="New"/> makes: anything else is refused before the store is asked.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
