using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Tests.Planning;

/// <summary>The real bot-config/playbook.json (copied beside the tests) and helpers to state facts briefly.</summary>
internal static class PlanningFixture
{
    private static readonly Lazy<Playbook> Shipped = new(() =>
        Playbook.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "playbook.json"))));

    public static Playbook ShippedPlaybook => Shipped.Value;

    public static NudgePlanner Planner => new(ShippedPlaybook);

    public static NudgeComposer Composer => new(ShippedPlaybook);

    public static PlanningContext In(string zoneId, QuietHours? quietHours = null) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(zoneId), quietHours ?? QuietHours.Default);

    public static PlanningContext NewYork => In("America/New_York");

    /// <summary>An instant from a local time in a zone, e.g. At("2026-12-04T16:30", "America/New_York").</summary>
    public static DateTimeOffset At(string local, string zoneId = "America/New_York")
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var time = DateTime.ParseExact(local, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        return new DateTimeOffset(time, zone.GetUtcOffset(time));
    }

    public static InterviewFacts Facts(
        string endedLocal,
        string zoneId = "America/New_York",
        InterviewFormat format = InterviewFormat.Video,
        string[]? interviewers = null,
        string? decisionDate = null,
        bool followUpInvited = false,
        string[]? references = null) =>
        new(At(endedLocal, zoneId), format, interviewers ?? ["Ana Ruiz"],
            decisionDate is null ? null : DateOnly.ParseExact(decisionDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            followUpInvited, references ?? []);

    /// <summary>Local time with offset, as the plan command prints it: 2026-12-04T18:00-05:00.</summary>
    public static string Local(DateTimeOffset instant) =>
        instant.ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> Times(this IEnumerable<PlannedNudge> plan, NudgeKind kind) =>
        plan.Where(n => n.Kind == kind).Select(n => Local(n.DueAt)).ToList();

    public static string Single(this IEnumerable<PlannedNudge> plan, NudgeKind kind) =>
        Assert.Single(plan.Times(kind));

    /// <summary>A nudge composed as it reads in New York when it went out (or, not yet sent, when due).</summary>
    public static Message Compose(this NudgeComposer composer, Nudge nudge, Interview interview, bool late) =>
        composer.Compose(nudge, interview, late, new DeliveryMoment(nudge.SentAt ?? nudge.DueAt, NewYork));

    /// <summary>A nudge composed with its process context, read in the context's zone when it went out (or when due).</summary>
    public static Message Compose(this NudgeComposer composer, Nudge nudge, Interview interview, bool late, NudgeContext context) =>
        composer.Compose(nudge, interview, late, new DeliveryMoment(nudge.SentAt ?? nudge.DueAt, new PlanningContext(context.Zone, QuietHours.Default)), context);

    /// <summary>A planned nudge's text as it reads in New York when due.</summary>
    public static string Describe(this NudgeComposer composer, PlannedNudge planned, InterviewFacts facts, string? company = null,
        string? role = null) => composer.Describe(planned, facts, NewYork, company, role);
}
