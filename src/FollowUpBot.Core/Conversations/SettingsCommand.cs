using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// <c>/followup settings</c>: shows or changes the time zone and quiet hours. Nothing is re-planned, except that
/// waiting nudges now falling in quiet hours (or, for employer-facing steps, outside business hours) move to the
/// next allowed time, so the new settings hold from now on.
/// </summary>
internal sealed class SettingsCommand(EnginePorts ports, NudgeBook book)
{
    public static readonly TimeSpan MaxQuiet = TimeSpan.FromHours(16);
    private const string Example = "/followup settings time-zone:Europe/Berlin quiet-hours:21:00-08:00";

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

        member = await ports.Members.SaveAsync(member, cancellationToken);
        var moved = await MoveWaitingNudgesAsync(turn with { Member = member, Zone = zone }, cancellationToken);
        var text = Describe(member, "Saved. Your settings");
        text += moved > 0
            ? $"\nI moved {Wording.Count(moved, "waiting nudge", "waiting nudges")} that would now land in your quiet hours (or outside business hours) to the next allowed time; everything else keeps its time."
            : "\nNudges already planned keep their times.";
        return [Reply(text)];
    }

    private async Task<int> MoveWaitingNudgesAsync(Turn turn, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var interview in await ports.Interviews.ListAsync(turn.Member.Id, openOnly: true, cancellationToken))
        {
            var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
            var changes = nudges.Where(n => n.IsScheduled && n.Kind != NudgeKind.Debrief)
                .Select(n => (Nudge: n, Due: ports.Planner.NextAllowedTime(n.Kind, n.DueAt, turn.Planning)))
                .Where(x => x.Due != x.Nudge.DueAt)
                .Select(x => new NudgeStateChange(x.Nudge.Id, [x.Nudge.State], x.Nudge.State, x.Due))
                .ToList();
            if (changes.Count == 0) continue;
            var result = await book.ApplyAsync(interview, nudges, new NudgeChanges([], changes), cancellationToken);
            moved += result.Changed.Count;
        }
        return moved;
    }

    private static string Describe(Member member, string heading)
    {
        var source = member.TimeZoneSetByMember ? "set by you" : "from your platform or the bot's default";
        return $"{heading}: time zone {member.TimeZoneId} ({source}), quiet hours {member.QuietHours} (no nudges then, except the debrief right after an interview).";
    }

    private static Reply Reply(string text) => new(new Message(text));
}
