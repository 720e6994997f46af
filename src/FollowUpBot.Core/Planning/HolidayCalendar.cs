using System.Collections.Concurrent;
using PublicHoliday;

namespace FollowUpBot.Core.Planning;

/// <summary>
/// One country's public holidays (from the PublicHoliday package: pure date arithmetic, no I/O), which are not
/// business days for employer-facing steps. <see cref="None"/> has no holidays. Country codes are ISO 3166-1
/// alpha-2 (GB, US, DE, ...); "UK" is read as GB. Safe to share between threads.
/// </summary>
public sealed class HolidayCalendar
{
    private static readonly Dictionary<string, PublicHolidayCountryCode> Codes = Enum.GetValues<PublicHolidayCountryCode>()
        // "PO" is the package's legacy alias for Poland, not an ISO code (PL is).
        .Where(c => c != PublicHolidayCountryCode.Po)
        .ToDictionary(c => c.ToString().ToUpperInvariant(), StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, HolidayCalendar> Calendars = new(StringComparer.Ordinal);

    private readonly IPublicHolidays? _source;
    private readonly ConcurrentDictionary<int, IReadOnlySet<DateOnly>> _years = new();

    private HolidayCalendar(string? country, IPublicHolidays? source)
    {
        Country = country;
        _source = source;
    }

    public static HolidayCalendar None { get; } = new(null, null);

    /// <summary>The ISO code, e.g. "GB"; null for <see cref="None"/>.</summary>
    public string? Country { get; }

    /// <summary>Every country code the bot knows the holidays of, sorted.</summary>
    public static IReadOnlyList<string> SupportedCountries { get; } = Codes.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The calendar for an ISO code ("gb", " US "); empty or "none" is <see cref="None"/>. False for an unknown code.</summary>
    public static bool TryFor(string? code, out HolidayCalendar calendar)
    {
        calendar = None;
        var key = (code ?? "").Trim().ToUpperInvariant();
        if (key is "" or "NONE") return true;
        if (key == "UK") key = "GB";
        if (!Codes.TryGetValue(key, out var country)) return false;
        calendar = Calendars.GetOrAdd(key, k => new HolidayCalendar(k, PublicHolidayFactory.GetPublicHolidayForCountry(country)));
        return true;
    }

    /// <summary>The calendar for a code already checked (configuration, a stored setting); <see cref="None"/> when unknown.</summary>
    public static HolidayCalendar For(string? code) => TryFor(code, out var calendar) ? calendar : None;

    /// <summary>A member's calendar: their own setting, or the community's default when they chose none.</summary>
    public static HolidayCalendar Of(Domain.Member member, string? communityDefault) => For(member.HolidayCountry ?? communityDefault);

    /// <summary>True on the country's public holidays (as observed: a holiday falling on a weekend may move to Monday).</summary>
    public bool IsHoliday(DateOnly date) => _source is not null && Year(date.Year).Contains(date);

    private IReadOnlySet<DateOnly> Year(int year) => _years.GetOrAdd(year, y =>
    {
        // The package caches internally without saying it is thread-safe; one computation at a time per country.
        lock (_source!)
            return _source.PublicHolidays(y).Select(DateOnly.FromDateTime).ToHashSet();
    });

    public override string ToString() => Country ?? "none";
}
