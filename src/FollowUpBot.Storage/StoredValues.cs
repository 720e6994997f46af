using System.Globalization;
using System.Text.Json;

namespace FollowUpBot.Storage;

/// <summary>How values are written to the database: UTC ISO-8601 text of fixed width (so text order is time
/// order), ISO dates, and JSON arrays for lists.</summary>
internal static class StoredValues
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? value) => value is { } v ? Time(v) : null;

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOptionalTime(string? text) => text is null ? null : ParseTime(text);

    public static string? Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDate(string? text) =>
        text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string TimeOfDay(TimeOnly value) => value.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static TimeOnly ParseTimeOfDay(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);

    public static string List(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    public static IReadOnlyList<string> ParseList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static string Map(IReadOnlyDictionary<string, string> values) => JsonSerializer.Serialize(values);

    public static IReadOnlyDictionary<string, string> ParseMap(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>
    /// A SQL list of stored enum names, for <c>state IN (...)</c>. Written into the statement because the two drivers
    /// differ on list parameters (Dapper expands them for SQLite but sends an array to PostgreSQL); the names come
    /// from our own enums, never from input.
    /// </summary>
    public static string NameList(IEnumerable<string> names) =>
        "(" + string.Join(", ", names.Select(n => $"'{n.Replace("'", "''", StringComparison.Ordinal)}'")) + ")";

    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    public static TEnum ParseName<TEnum>(string text) where TEnum : struct, Enum => Enum.Parse<TEnum>(text, ignoreCase: true);
}
