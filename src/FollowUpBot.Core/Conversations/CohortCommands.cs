using System.Globalization;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Dashboard;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// The <c>/cohort</c> commands and their buttons. Coach commands check <see cref="MemberContext.IsCoach"/> every
/// time and only ever reach cohorts the coach created; members join only with the code and only after seeing
/// exactly what the coaches will see, and may change the level or leave at any time.
/// </summary>
internal sealed class CohortCommands(ICohortRepository cohorts, ICohortScheduler scheduler, CohortActivityReader activity,
    CoachDashboard? dashboard = null)
{
    private const string DeclineJoin = "no";
    public const int MaxNameLength = 60;
    private const int MaxCodeAttempts = 8;

    internal const string CoachesOnly =
        "Only coaches can use /{0}. If you coach this community, ask an admin to add you to the bot's coaches. " +
        "Nothing changed.";

    public static string JoinButton(string code, string choice) => new CohortJoinButton(code, choice).Format();

    public static string StatusButton(long cohortId, int page) => new CohortStatusButton(cohortId, page).Format();

    // ---- coaches

    public async Task<IReadOnlyList<OutboundAction>> CreateAsync(Turn turn, MemberContext from, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        if (!from.IsCoach) return [Reply(string.Format(CultureInfo.InvariantCulture, CoachesOnly, CommandCatalog.CohortCreate))];
        const string example = "/cohort create name:\"Fall 2026\" channel:#career-room";

        var name = options.GetValueOrDefault("name")?.Trim() ?? "";
        if (name.Length == 0) return [Reply($"Give the cohort a name, for example: {example}")];
        if (name.Length > MaxNameLength)
            return [Reply($"A cohort name can have at most {MaxNameLength} characters; {Wording.Quote(name)} has {name.Length}. Nothing was created.")];
        var channel = (options.GetValueOrDefault("channel") ?? "").Trim().TrimStart('#').Trim();
        if (channel.Length == 0) return [Reply($"Which channel should the digests go to? Add channel:, for example: {example}")];
        if (channel.Length > 100 || channel.Any(char.IsWhiteSpace))
            return [Reply($"The channel should be one channel, like #career-room (you wrote {Wording.Quote(channel)}). Nothing was created.")];

        var zone = turn.Zone;
        if (options.TryGetValue("time-zone", out var zoneText) && (!ZonedTime.TryFindZone(zoneText, out zone) || !zone.HasIanaId))
            return [Reply($"I don't know the time zone {Wording.Quote(zoneText.Trim())}. Use an IANA name such as Europe/Berlin. Nothing was created.")];
        var schedule = DigestSchedule.Default;
        if (options.TryGetValue("schedule", out var scheduleText) && !DigestSchedule.TryParse(scheduleText, out schedule))
            return [Reply($"I couldn't read the schedule {Wording.Quote(scheduleText.Trim())}. Write a day and a time, such as {DigestSchedule.Examples}. Nothing was created.")];

        var mine = await cohorts.ListByCoachAsync(turn.Member.Id, cancellationToken);
        if (mine.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
            return [Reply($"You already have a cohort called {Wording.Quote(name)}. Pick another name. Nothing was created.")];

        Cohort? stored = null;
        for (var attempt = 0; attempt < MaxCodeAttempts && stored is null; attempt++)
        {
            stored = await cohorts.TryAddAsync(new Cohort(0, name, turn.Member.Key.Platform, turn.Member.Key.Workspace, channel,
                turn.Member.Id, JoinCodes.Next(), zone.Id, schedule.ToString(), turn.Now), cancellationToken);
        }
        if (stored is null) return [Reply("I couldn't find a free join code just now; please try again. Nothing was created.")];
        await scheduler.ScheduleDigestAsync(stored, cancellationToken);

        return [Reply(
            $"Created the cohort *{stored.Name}*. Its join code is *{stored.JoinCode}*: members join with /cohort join code:{stored.JoinCode} " +
            "and choose what you see (status only, plus companies, or full detail); nobody is added without saying yes.\n" +
            $"The digest goes to #{stored.ChannelId} {schedule.Describe()} ({zone.Id}); the first on {Wording.LocalTime(schedule.NextAfter(turn.Now, zone), zone)}. " +
            "Change it with /cohort digest; see where everyone stands with /cohort status.")];
    }

    public async Task<IReadOnlyList<OutboundAction>> StatusAsync(Turn turn, MemberContext from, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        if (!from.IsCoach) return [Reply(string.Format(CultureInfo.InvariantCulture, CoachesOnly, CommandCatalog.CohortStatus))];
        var (cohort, problem) = await ResolveCoachedAsync(turn, options, "/cohort status cohort:\"Fall 2026\"", cancellationToken);
        if (cohort is null) return [Reply(problem!)];
        return [new Reply(await StatusPageAsync(turn, cohort, 1, cancellationToken))];
    }

    public async Task<IReadOnlyList<OutboundAction>> DigestAsync(Turn turn, MemberContext from, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        if (!from.IsCoach) return [Reply(string.Format(CultureInfo.InvariantCulture, CoachesOnly, CommandCatalog.CohortDigest))];
        var (cohort, problem) = await ResolveCoachedAsync(turn, options, "/cohort digest cohort:\"Fall 2026\" schedule:\"monday 09:00\"", cancellationToken);
        if (cohort is null) return [Reply(problem!)];

        DigestSchedule.TryParse(cohort.DigestSchedule, out var schedule);
        ZonedTime.TryFindZone(cohort.TimeZoneId, out var zone);
        if (!options.ContainsKey("schedule") && !options.ContainsKey("time-zone"))
        {
            return [Reply($"The digest of *{cohort.Name}* goes to #{cohort.ChannelId} {schedule.Describe()} ({zone.Id}); " +
                          $"next on {Wording.LocalTime(schedule.NextAfter(turn.Now, zone), zone)}. " +
                          $"Change it with schedule: (such as {DigestSchedule.Examples}) and time-zone:.")];
        }
        if (options.TryGetValue("schedule", out var scheduleText) && !DigestSchedule.TryParse(scheduleText, out schedule))
            return [Reply($"I couldn't read the schedule {Wording.Quote(scheduleText.Trim())}. Write a day and a time, such as {DigestSchedule.Examples}. Nothing changed.")];
        if (options.TryGetValue("time-zone", out var zoneText) && (!ZonedTime.TryFindZone(zoneText, out zone) || !zone.HasIanaId))
            return [Reply($"I don't know the time zone {Wording.Quote(zoneText.Trim())}. Use an IANA name such as Europe/Berlin. Nothing changed.")];

        var updated = cohort with { DigestSchedule = schedule.ToString(), TimeZoneId = zone.Id };
        await cohorts.UpdateAsync(updated, cancellationToken);
        await scheduler.ScheduleDigestAsync(updated, cancellationToken);
        return [Reply($"Saved. The digest of *{cohort.Name}* now goes to #{cohort.ChannelId} {schedule.Describe()} ({zone.Id}); " +
                      $"next on {Wording.LocalTime(schedule.NextAfter(turn.Now, zone), zone)}.")];
    }

    /// <summary>A one-time link to the web view, answered only to the coach (ephemeral where the platform allows).</summary>
    public async Task<IReadOnlyList<OutboundAction>> DashboardAsync(Turn turn, MemberContext from, CancellationToken cancellationToken)
    {
        if (!from.IsCoach) return [Reply(string.Format(CultureInfo.InvariantCulture, CoachesOnly, CommandCatalog.CohortDashboard))];
        if (dashboard is not { Enabled: true })
            return [Reply("This bot has no web view: its operator turns it on by setting Dashboard:PublicUrl to the address the bot is " +
                          "reachable at (see the README). /cohort status shows the same numbers here.")];
        var mine = await cohorts.ListByCoachAsync(turn.Member.Id, cancellationToken);
        if (mine.Count == 0)
            return [Reply("You don't coach any cohort yet, so the web view would be empty. Create one with /cohort create name:\"Fall 2026\" channel:#career-room")];

        var (link, expires) = await dashboard.CreateLinkAsync(turn.Member.Id, cancellationToken);
        var options = dashboard.Options;
        return [Reply(
            $"Your private link to the web view of {string.Join(", ", mine.Select(c => c.Name))}:\n{link}\n" +
            $"It works once, within {Minutes(options.LinkLifetime)} (until {turn.Local(expires)}), and signs that browser in for " +
            $"{Hours(options.SessionLifetime)}. Don't pass it on: whoever opens it first sees what you see. " +
            "Run /cohort dashboard again for a new one.")];
    }

    private static string Minutes(TimeSpan span) => Wording.Count((int)Math.Round(span.TotalMinutes), "minute", "minutes");

    private static string Hours(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? Wording.Count((int)span.TotalHours, "hour", "hours") : Minutes(span);

    // ---- members

    public async Task<IReadOnlyList<OutboundAction>> JoinAsync(Turn turn, MemberContext from, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        var typed = options.GetValueOrDefault("code") ?? "";
        if (typed.Trim().Length == 0) return [Reply("Which cohort? Add the code your coach gave you, for example: /cohort join code:K7MQ4T")];
        var cohort = await FindByCodeAsync(turn, typed, cancellationToken);
        if (cohort is null)
            return [Reply($"I found no cohort with the code {Wording.Quote(typed.Trim(), 12)}. Check the code with your coach; nothing changed.")];

        var memberships = await cohorts.ListMembershipsAsync(cohort.Id, cancellationToken);
        var current = memberships.FirstOrDefault(m => m.MemberId == turn.Member.Id);
        var preview = new CohortMembership(cohort.Id, turn.Member.Id, CohortVisibility.StatusOnly, DisplayName(from, turn), turn.Now);
        var mine = await activity.ReadAsync(preview, turn.Member, cancellationToken);
        ZonedTime.TryFindZone(cohort.TimeZoneId, out var zone);

        var lines = new List<string>
        {
            current is null
                ? $"Join *{cohort.Name}*? Its coach follows it in a channel. Pick what they may see; this is exactly how your line looks to them today:"
                : $"You are in *{cohort.Name}*, sharing {current.Visibility.Describe()}. Pick a level to change it; this is exactly how your line looks to the coach today:",
        };
        foreach (var level in Enum.GetValues<CohortVisibility>())
            lines.Add($"• {Capitalize(level.Describe())}:\n  {CohortStatus.Line(CohortStatus.Row(mine, level, turn.Now, zone))}");
        lines.Add("At full detail, offers and rejections also appear in the digest, and two rejections in a row flag you for a supportive check-in. " +
                  "At every level your numbers also count, without your name, in the cohort's totals, trend and chart (once at least " +
                  $"{CoachNumbers.MinimumCrowd} members share less than full detail, so that no total gives one of you away). " +
                  "Your debrief notes are never shown. Change the level with /cohort level or leave with /cohort leave at any time.");

        return
        [
            new Reply(new Message(string.Join('\n', lines),
            [
                new Button(JoinButton(cohort.JoinCode, CohortVisibility.StatusOnly.Name()), "Status only", ButtonStyle.Primary),
                new Button(JoinButton(cohort.JoinCode, CohortVisibility.WithCompanies.Name()), "Plus companies", ButtonStyle.Primary),
                new Button(JoinButton(cohort.JoinCode, CohortVisibility.FullDetail.Name()), "Full detail", ButtonStyle.Primary),
                new Button(JoinButton(cohort.JoinCode, DeclineJoin), current is null ? "Don't join" : "Keep as is"),
            ])),
        ];
    }

    public async Task<IReadOnlyList<OutboundAction>> LevelAsync(Turn turn, MemberContext from, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        const string example = "/cohort level cohort:\"Fall 2026\" level:companies";
        var joined = await cohorts.ListJoinedAsync(turn.Member.Id, cancellationToken);
        var levelText = options.GetValueOrDefault("level")?.Trim() ?? "";
        if (levelText.Length == 0)
        {
            if (joined.Count == 0) return [Reply("You are in no cohort. Join one with the code your coach gives you: /cohort join code:K7MQ4T")];
            return [Reply("What the coaches see of you:\n" +
                          string.Join('\n', joined.Select(j => $"• {j.Cohort.Name}: {j.Membership.Visibility.Describe()}")) +
                          $"\nChange it with level:status, level:companies or level:full, for example: {example}")];
        }
        if (!CohortVisibilities.TryParse(levelText, out var level))
            return [Reply($"The level must be status, companies or full (you wrote {Wording.Quote(levelText)}). For example: {example}. Nothing changed.")];

        var (cohort, membership, problem) = ResolveJoined(joined, options, "change the level of", example);
        if (cohort is null) return [Reply(problem!)];
        await cohorts.SaveMembershipAsync(membership! with { Visibility = level, DisplayName = DisplayName(from, turn) }, cancellationToken);
        return [Reply($"Done: the coaches of *{cohort.Name}* now see {level.Describe()}, from now on, including in digests already scheduled.")];
    }

    public async Task<IReadOnlyList<OutboundAction>> LeaveAsync(Turn turn, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken)
    {
        var joined = await cohorts.ListJoinedAsync(turn.Member.Id, cancellationToken);
        var (cohort, _, problem) = ResolveJoined(joined, options, "leave", "/cohort leave cohort:\"Fall 2026\"");
        if (cohort is null) return [Reply(problem!)];
        await cohorts.RemoveMembershipAsync(cohort.Id, turn.Member.Id, cancellationToken);
        return [Reply($"You left *{cohort.Name}*. Its coaches see nothing of yours any more, from now on, including in digests already scheduled. " +
                      "Your own interviews and nudges are unchanged.")];
    }

    // ---- buttons

    /// <summary>"cohort:join:CODE:level|no" and "cohort:status:ID:PAGE".</summary>
    public async Task<IReadOnlyList<OutboundAction>> PressAsync(Turn turn, MemberContext from, ButtonId button, CancellationToken cancellationToken)
    {
        if (button is CohortJoinButton join)
            return await ChooseLevelAsync(turn, from, join.Code, join.Choice, cancellationToken);
        if (button is CohortStatusButton status)
        {
            if (!from.IsCoach) return [Reply(string.Format(CultureInfo.InvariantCulture, CoachesOnly, CommandCatalog.CohortStatus))];
            var cohort = await cohorts.GetAsync(status.CohortId, cancellationToken);
            // Someone else's cohort looks exactly like a missing one: a coach learns nothing about it.
            if (cohort is null || cohort.CoachMemberId != turn.Member.Id)
                return [Reply("That status is for a cohort you don't coach (or one that is gone), so I can't show it.")];
            return [new UpdateMessage(await StatusPageAsync(turn, cohort, status.Page, cancellationToken))];
        }
        return [Reply(ButtonRouting.Unknown)];
    }

    private async Task<IReadOnlyList<OutboundAction>> ChooseLevelAsync(Turn turn, MemberContext from, string code, string choice,
        CancellationToken cancellationToken)
    {
        var cohort = await FindByCodeAsync(turn, code, cancellationToken);
        if (cohort is null) return [new UpdateMessage(new Message("That cohort no longer exists; nothing changed."))];
        if (choice == DeclineJoin) return [new UpdateMessage(new Message($"Nothing changed for *{cohort.Name}*; the coaches see nothing new."))];
        if (!CohortVisibilities.TryParse(choice, out var level)) return [Reply("I don't recognise that button; nothing changed.")];

        var existing = (await cohorts.ListMembershipsAsync(cohort.Id, cancellationToken)).FirstOrDefault(m => m.MemberId == turn.Member.Id);
        var membership = existing is null
            ? new CohortMembership(cohort.Id, turn.Member.Id, level, DisplayName(from, turn), turn.Now)
            : existing with { Visibility = level, DisplayName = DisplayName(from, turn) };
        await cohorts.SaveMembershipAsync(membership, cancellationToken);
        return [new UpdateMessage(new Message(existing is null
            ? $"You joined *{cohort.Name}*. Its coaches see {level.Describe()}. Change it with /cohort level, or leave with /cohort leave, at any time."
            : $"Saved: the coaches of *{cohort.Name}* now see {level.Describe()}, from now on."))];
    }

    // ---- shared

    private async Task<Message> StatusPageAsync(Turn turn, Cohort cohort, int page, CancellationToken cancellationToken)
    {
        ZonedTime.TryFindZone(cohort.TimeZoneId, out var zone);
        var members = await activity.ReadAsync(cohort.Id, cancellationToken);
        var title = $"{cohort.Name}: status, {Wording.LocalTime(turn.Now, zone)} ({zone.Id})";
        var numbers = CoachNumbers.Build(cohort, members, turn.Now, zone);
        IReadOnlyList<MessageSection> sections = members.Count == 0
            ? [new MessageSection("Members", [$"Nobody has joined yet. Members join with /cohort join code:{cohort.JoinCode}"])]
            : [new MessageSection("Members", [$"{members.Count} member{(members.Count == 1 ? "" : "s")}, each shown at the level they chose."],
                CohortStatus.Table(numbers.Members.Select(m => m.Status).ToList())),
               .. CoachReport.Sections(numbers)];
        var pages = MessagePager.Paginate(title, sections);
        page = Math.Clamp(page, 1, pages.Count);
        var message = pages[page - 1];
        var buttons = new List<Button>();
        if (page > 1) buttons.Add(new Button(StatusButton(cohort.Id, page - 1), "Previous page"));
        if (page < pages.Count) buttons.Add(new Button(StatusButton(cohort.Id, page + 1), "Next page"));
        return message with { Buttons = buttons };
    }

    /// <summary>The cohort the coach named (by name or join code), or their only one. Only cohorts this coach created count.</summary>
    private async Task<(Cohort? Cohort, string? Problem)> ResolveCoachedAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        string example, CancellationToken cancellationToken)
    {
        var mine = await cohorts.ListByCoachAsync(turn.Member.Id, cancellationToken);
        if (mine.Count == 0)
            return (null, "You don't coach any cohort yet. Create one with /cohort create name:\"Fall 2026\" channel:#career-room");
        var names = string.Join(", ", mine.Select(c => c.Name));
        if (options.TryGetValue("cohort", out var wanted) && wanted.Trim().Length > 0)
        {
            var found = mine.FirstOrDefault(c => string.Equals(c.Name, wanted.Trim(), StringComparison.OrdinalIgnoreCase))
                        ?? mine.FirstOrDefault(c => c.JoinCode == JoinCodes.Normalize(wanted));
            return found is null ? (null, $"You coach no cohort called {Wording.Quote(wanted.Trim())}. Yours: {names}.") : (found, null);
        }
        return mine.Count == 1 ? (mine[0], null) : (null, $"Which cohort? You coach {names}. Add cohort:, for example: {example}");
    }

    private static (Cohort? Cohort, CohortMembership? Membership, string? Problem) ResolveJoined(
        IReadOnlyList<(Cohort Cohort, CohortMembership Membership)> joined, IReadOnlyDictionary<string, string> options, string doWhat, string example)
    {
        if (joined.Count == 0) return (null, null, "You are in no cohort, so there is nothing to change.");
        var names = string.Join(", ", joined.Select(j => j.Cohort.Name));
        if (options.TryGetValue("cohort", out var wanted) && wanted.Trim().Length > 0)
        {
            var found = joined.FirstOrDefault(j => string.Equals(j.Cohort.Name, wanted.Trim(), StringComparison.OrdinalIgnoreCase));
            if (found.Cohort is null) found = joined.FirstOrDefault(j => j.Cohort.JoinCode == JoinCodes.Normalize(wanted));
            return found.Cohort is null
                ? (null, null, $"You are in no cohort called {Wording.Quote(wanted.Trim())}. Yours: {names}. Nothing changed.")
                : (found.Cohort, found.Membership, null);
        }
        return joined.Count == 1
            ? (joined[0].Cohort, joined[0].Membership, null)
            : (null, null, $"Which cohort do you want to {doWhat}? You are in {names}. Add cohort:, for example: {example}");
    }

    /// <summary>Only cohorts of the member's own platform and workspace can be joined.</summary>
    private async Task<Cohort?> FindByCodeAsync(Turn turn, string typed, CancellationToken cancellationToken)
    {
        var code = JoinCodes.Normalize(typed);
        if (!JoinCodes.LooksValid(code)) return null;
        var cohort = await cohorts.FindByJoinCodeAsync(code, cancellationToken);
        return cohort is not null && cohort.Platform == turn.Member.Key.Platform && cohort.Workspace == turn.Member.Key.Workspace
            ? cohort
            : null;
    }

    private static string DisplayName(MemberContext from, Turn turn) =>
        string.IsNullOrWhiteSpace(from.DisplayName) ? turn.Member.Key.UserId : from.DisplayName.Trim();

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static Reply Reply(string text) => new(new Message(text));
}
