using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// Checks that an HTTP interaction really comes from Discord: an Ed25519 signature over the timestamp followed by
/// the raw body, made with the application's key, and a timestamp close to now (no replays).
/// </summary>
public sealed class DiscordSignatureVerifier(IOptions<DiscordOptions> options, TransportClock clock)
{
    private readonly byte[]? _publicKey = options.Value.PublicKey is { Length: 64 } hex ? Convert.FromHexString(hex) : null;

    public bool IsValid(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (_publicKey is null || signatureHex is not { Length: 128 } || timestamp is not { Length: > 0 and < 32 }) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        var age = clock.Time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (age.Duration() > options.Value.MaxSignatureAge) return false;

        byte[] signature;
        try { signature = Convert.FromHexString(signatureHex); }
        catch (FormatException) { return false; }

        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(_publicKey, 0));
        var stamp = Encoding.UTF8.GetBytes(timestamp);
        verifier.BlockUpdate(stamp, 0, stamp.Length);
        var raw = body.ToArray();
        verifier.BlockUpdate(raw, 0, raw.Length);
        return verifier.VerifySignature(signature);
    }
}
