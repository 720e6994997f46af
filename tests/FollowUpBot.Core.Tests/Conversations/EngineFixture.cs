using FollowUpBot.Core.Dashboard;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Tests.Planning;
using FollowUpBot.Core.Time;
using FollowUpBot.Testing;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Core.Tests.Conversations;

/// <summary>
/// The real engine over the in-memory store, a recording scheduler, the shipped playbook and a simulated clock
/// that starts on Friday 4 December 2026, 16:30 in New York (the member's zone, as the platform reports it).
/// </summary>
internal sealed class EngineFixture
{
    public const string Zone = "America/New_York";
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById(Zone);

    public SimulatedClock Clock { get; } = new(PlanningFixture.At("2026-12-04T16:30"));
    public InMemoryRepositories Store { get; } = new();
    public RecordingNudgeScheduler Scheduler { get; } = new();
    public RecordingCohortScheduler CohortScheduler { get; } = new();
    public NudgePlanner Planner { get; }
    public NudgeComposer Composer { get; }
    public ConversationEngine Engine { get; }

    public MemberContext Ana { get; } = new(new MemberKey("test", "w1", "ana"), Zone, "Ana");
    public MemberContext Bob { get; } = new(new MemberKey("test", "w1", "bob"), "Europe/Berlin", "Bob");
    public MemberContext Coach { get; } = new(new MemberKey("test", "w1", "coach"), Zone, "Cleo Coach", IsCoach: true);
    public MemberContext OtherCoach { get; } = new(new MemberKey("test", "w1", "coach2"), Zone, "Dev Coach", IsCoach: true);

    public const string FullCommand =
        "/interview done company:\"Acme\" role:\"Backend Engineer\" interviewers:\"Ana Ruiz, Ben Ode\" format:onsite " +
        "decision-date:2026-12-08 follow-up-invited:no references:\"Kim Lee\"";

    /// <param name="dashboardUrl">The web view's Dashboard:PublicUrl; null leaves it off.</param>
    /// <param name="playbook">The playbook; the shipped one by default.</param>
    public EngineFixture(string defaultZone = "UTC", string holidayCountry = "", string? dashboardUrl = null, Playbook? playbook = null)
    {
        Planner = new NudgePlanner(playbook ?? PlanningFixture.ShippedPlaybook);
        Composer = new NudgeComposer(playbook ?? PlanningFixture.ShippedPlaybook);
        Dashboard = new CoachDashboard(Store, Store, new CohortActivityReader(Store, Store, Store),
            Options.Create(new DashboardOptions { PublicUrl = dashboardUrl }), Clock);
        Engine = new ConversationEngine(
            new EnginePorts(Store, Store, Store, Store, Scheduler, Planner, Composer) { Cohorts = new CohortPorts(Store, CohortScheduler, Store, Dashboard) },
            Clock, Options.Create(new BotOptions { DefaultTimeZone = defaultZone, HolidayCountry = holidayCountry }));
    }

    public CoachDashboard Dashboard { get; }

    public DateTimeOffset Local(string local) => PlanningFixture.At(local, Zone);

    public Task<IReadOnlyList<OutboundAction>> Send(InboundEvent inbound) => Engine.HandleAsync(inbound, CancellationToken.None);

    public Task<IReadOnlyList<OutboundAction>> Command(string line, MemberContext? from = null)
    {
        Assert.True(CommandText.TryParse(line, from ?? Ana, out var command, out var error), error);
        return Send(command!);
    }

    public Task<IReadOnlyList<OutboundAction>> Submit(string formId, Dictionary<string, string> values, MemberContext? from = null) =>
        Send(new FormSubmitted(from ?? Ana, formId, values));

    public Task<IReadOnlyList<OutboundAction>> Press(string buttonId, MemberContext? from = null) =>
        Send(new ButtonPressed(from ?? Ana, buttonId));

    /// <summary>Records the example interview and returns it.</summary>
    public async Task<Interview> RecordAsync(string line = FullCommand, MemberContext? from = null)
    {
        var before = Store.Interviews.Count;
        var answer = SavedText(await Command(line, from));
        Assert.True(Store.Interviews.Count == before + 1, answer);
        return Store.Interviews[^1];
    }

    /// <summary>
    /// The answer to a stored interview: the saved message, followed (when the command left details out) by one message
    /// asking them, whose buttons all belong to that interview.
    /// </summary>
    public static string SavedText(IReadOnlyList<OutboundAction> actions)
    {
        Assert.InRange(actions.Count, 1, 2);
        if (actions.Count == 2)
            Assert.All(Assert.IsType<Reply>(actions[1]).Message.Buttons, b => Assert.StartsWith("interview:", b.Id));
        return Assert.IsType<Reply>(actions[0]).Message.Text;
    }

    public Member Member(MemberContext who) => Store.Members.Single(m => m.Key == who.Key);

    public IReadOnlyList<Nudge> NudgesOf(Interview interview, NudgeKind? kind = null) =>
        Store.Nudges.Where(n => n.InterviewId == interview.Id && (kind is null || n.Kind == kind)).OrderBy(n => n.DueAt).ToList();

    public Interview Reload(Interview interview) => Store.Interviews.Single(i => i.Id == interview.Id);

    /// <summary>What the dispatcher does when a nudge goes out: pending -> sending -> sent.</summary>
    public async Task<Nudge> DeliverAsync(Nudge nudge)
    {
        Assert.NotNull(await Store.TryClaimAsync(nudge.Id, Clock.GetUtcNow(), CancellationToken.None));
        Assert.True(await Store.CompleteAsync(nudge.Id, NudgeState.Sent, Clock.GetUtcNow(), null, null, possibleRepeat: false, CancellationToken.None));
        return Store.Nudges.Single(n => n.Id == nudge.Id);
    }

    public static string ReplyText(IReadOnlyList<OutboundAction> actions) =>
        Assert.IsType<Reply>(Assert.Single(actions)).Message.Text;

    public static Form FormOf(IReadOnlyList<OutboundAction> actions) => Assert.IsType<ShowForm>(Assert.Single(actions)).Form;

    public static Message UpdateOf(IReadOnlyList<OutboundAction> actions) =>
        Assert.IsType<UpdateMessage>(Assert.Single(actions)).Message;
}
