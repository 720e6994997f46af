using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Bench;

/// <summary>
/// Writes benchmark members and interviews through the bot's repositories, one transaction per interview as the
/// engine stores them, so every scenario measures data shaped like production's.
/// </summary>
internal sealed class BenchInterviews(IMemberRepository members, IInterviewRepository interviews)
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private readonly NudgePlanner _planner = new(Playbook.Parse(File.ReadAllText(Path.Combine(BenchPaths.BotConfig, "playbook.json"))));

    public async Task<IReadOnlyList<long>> AddMembersAsync(int count, QuietHours quietHours, DateTimeOffset at, CancellationToken cancellationToken,
        string platform = "bench", Func<int, string>? userId = null)
    {
        var ids = new List<long>(count);
        for (var m = 0; m < count; m++)
            ids.Add((await members.SaveAsync(new Member(0, new MemberKey(platform, "w1", userId?.Invoke(m) ?? $"u{m}"), Zone.Id, quietHours, true, at, at),
                cancellationToken)).Id);
        return ids;
    }

    /// <summary>An interview with the nudges the real planner and playbook give it (about ten).</summary>
    public Task<IReadOnlyList<Nudge>> AddPlannedAsync(long memberId, int number, DateTimeOffset ended, CancellationToken cancellationToken)
    {
        var interview = NewInterview(memberId, number, ended);
        var planned = _planner.PlanInterview(InterviewFacts.From(interview), new PlanningContext(Zone, QuietHours.Default));
        return AddAsync(interview, planned.Select(p => new Nudge(0, 0, 0, p.Kind, p.DueAt, p.Interviewer, p.Sequence, NudgeState.Pending)),
            cancellationToken);
    }

    /// <summary>An interview with exactly the given nudges (kind and due time), bypassing the planner.</summary>
    public Task<IReadOnlyList<Nudge>> AddWithNudgesAsync(long memberId, int number, DateTimeOffset ended,
        IEnumerable<(NudgeKind Kind, DateTimeOffset DueAt)> nudges, CancellationToken cancellationToken) =>
        AddAsync(NewInterview(memberId, number, ended), nudges.Select(n => new Nudge(0, 0, 0, n.Kind, n.DueAt, null, 0, NudgeState.Pending)),
            cancellationToken);

    private async Task<IReadOnlyList<Nudge>> AddAsync(Interview interview, IEnumerable<Nudge> nudges, CancellationToken cancellationToken)
    {
        var (_, stored) = await interviews.AddAsync(interview, nudges.ToList(), cancellationToken);
        return stored;
    }

    private static Interview NewInterview(long memberId, int number, DateTimeOffset ended) =>
        new(0, memberId, 0, $"Company {number}", "Engineer", ["Ana Ruiz", "Ben Ode"], InterviewFormat.Video, ended,
            DateOnly.FromDateTime(ended.UtcDateTime.AddDays(10)), false, ["Kim Lee"], null, ended);
}
