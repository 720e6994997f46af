using System.Security.Cryptography;

namespace FollowUpBot.Core.Cohorts;

/// <summary>
/// Join codes: six characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read
/// aloud or off a slide is typed right. Uniqueness is the store's job (a unique key; the caller draws again).
/// </summary>
public static class JoinCodes
{
    public const string Alphabet = "ACDEFGHJKMNPQRTUVWXY34679";
    public const int Length = 6;

    public static string Next() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>What a member typed, in the stored form: upper case, without spaces or dashes.</summary>
    public static string Normalize(string? typed) =>
        new((typed ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).ToArray());

    public static bool LooksValid(string normalized) =>
        normalized.Length == Length && normalized.All(c => Alphabet.Contains(c));
}
