using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// <c>/followup settings</c>: shows or changes the time zone, quiet hours and public-holiday country. A change
/// re-plans every waiting nudge as if it had been planned under the new settings (a new zone's wall-clock times, its
/// quiet hours, its business days), and the answer says what moved and what comes next.
/// </summary>
internal sealed class SettingsCommand(EnginePorts ports, Replanner replanner, string communityHolidays)
{
    public static readonly TimeSpan MaxQuiet = TimeSpan.FromHours(16);
    private const string Example = "/followup settings time-zone:Europe/Berlin quiet-hours:21:00-08:00 holidays:DE";

    public async Task<IReadOnlyList<OutboundAction>> RunAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        var member = turn.Member;
        if (options.Count == 0) return [Reply(Describe(member, "Your settings") + $"\nChange them like this: {Example}")];

        var zone = turn.Zone;
        if (options.TryGetValue("time-zone", out var zoneText))
        {
            if (!ZonedTime.TryFindZone(zoneText, out zone) || !zone.HasIanaId)
                return [Reply($"I don't know the time zone {Wording.Quote(zoneText.Trim())}. Use an IANA name such as Europe/Berlin, " +
                              "America/New_York or Asia/Tokyo. Nothing changed.")];
            member = member with { TimeZoneId = zone.Id, TimeZoneSetByMember = true };
        }
        if (options.TryGetValue("quiet-hours", out var quietText))
        {
            if (!QuietHours.TryParse(quietText, out var quiet))
                return [Reply($"Quiet hours look like 21:00-08:00 (start-end, 24-hour clock); I couldn't read {Wording.Quote(quietText.Trim())}. " +
                              "Nothing changed.")];
            var length = (quiet.End - quiet.Start);
            if (quiet.Start == quiet.End)
                return [Reply("Quiet hours need a start and an end that differ, for example 21:00-08:00. Nothing changed.")];
            if (length > MaxQuiet)
                return [Reply($"Quiet hours can be at most {MaxQuiet.TotalHours:0} hours, or nudges would have no time left; " +
                              $"{quiet} is {length.TotalHours:0.#} hours. For example 21:00-08:00. Nothing changed.")];
            member = member with { QuietHours = quiet };
        }
        if (options.TryGetValue("holidays", out var holidayText))
        {
            var code = holidayText.Trim();
            if (!HolidayCalendar.TryFor(code, out var calendar))
                return [Reply($"I don't know the public holidays of {Wording.Quote(code)}. Give a two-letter country code I know " +
                              $"({string.Join(", ", HolidayCalendar.SupportedCountries)}), or none. Nothing changed.")];
            member = member with { HolidayCountry = calendar.Country ?? Member.NoHolidays };
        }

        member = await ports.Members.SaveAsync(member, cancellationToken);
        var now = turn with { Member = member, Zone = zone, Holidays = HolidayCalendar.Of(member, communityHolidays) };
        var lines = new List<string> { Describe(member, "Saved. Your settings") };
        lines.AddRange(await ReplanAllAsync(now, cancellationToken));
        return [Reply(string.Join('\n', lines))];
    }

    /// <summary>Re-plans each interview with waiting nudges (or still open) under the new settings; says what moved.</summary>
    private async Task<IReadOnlyList<string>> ReplanAllAsync(Turn turn, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        Nudge? next = null;
        foreach (var interview in await ports.Interviews.ListAsync(turn.Member.Id, openOnly: false, cancellationToken))
        {
            var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
            if (!interview.IsOpen && !nudges.Any(n => n.IsScheduled)) continue;
            var replanned = await replanner.ReplanAsync(turn, interview, [], cancellationToken);
            if (replanned.Next is { } candidate && (next is null || candidate.DueAt < next.DueAt)) next = candidate;
            if (replanned.Moved.Count + replanned.Cancelled.Count + replanned.Added.Count + replanned.TooLate.Count == 0) continue;
            lines.Add($"{Wording.Name(interview)}, re-planned in your time ({turn.Zone.Id}):");
            // Each interview's own "Next" is left out; one for all of them follows.
            lines.AddRange(Replanner.Describe(turn, replanned).SkipLast(1));
        }
        if (lines.Count == 0) lines.Add("Nudges already planned keep their times.");
        if (next is not null) lines.Add($"Next: {turn.Describe(next)}, {turn.Local(next.DueAt)} (your time, {turn.Zone.Id}).");
        return lines;
    }

    private string Describe(Member member, string heading)
    {
        var source = member.TimeZoneSetByMember ? "set by you" : "from your platform or the bot's default";
        var calendar = HolidayCalendar.Of(member, communityHolidays);
        var whose = member.HolidayCountry is null ? "the community's default" : "set by you";
        var holidays = calendar.Country is { } country
            ? $"public holidays of {country} ({whose}; no follow-ups on those days)"
            : $"no public holidays ({whose})";
        return $"{heading}: time zone {member.TimeZoneId} ({source}), quiet hours {member.QuietHours} (no nudges then, except the debrief right after an interview), {holidays}.";
    }

    private static Reply Reply(string text) => new(new Message(text));
}
