using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.HttpMode;

/// <summary>
/// Checks Slack's request signature: <c>v0=hex(HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}"))</c>,
/// compared in constant time, with a five-minute window against replays.
/// </summary>
public sealed class SlackSignatureVerifier(IOptions<SlackOptions> options, TransportClock time)
{
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    private const string Version = "v0";

    public bool IsValid(string? timestamp, string? signature, ReadOnlySpan<byte> rawBody)
    {
        var secret = options.Value.SigningSecret;
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        var age = time.GetUtcNow().ToUnixTimeSeconds() - seconds;
        if (Math.Abs(age) > (long)ReplayWindow.TotalSeconds) return false;

        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var signed = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(signed, 0);
        rawBody.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        var expected = Encoding.ASCII.GetBytes($"{Version}={Convert.ToHexStringLower(mac)}");
        var given = Encoding.ASCII.GetBytes(signature.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
