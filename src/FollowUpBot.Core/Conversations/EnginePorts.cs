using FollowUpBot.Core.Dashboard;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// What the conversation engine and its parts work with: the ports, the planner and the composer. One value, built
/// once by the composition (or a test), rather than a constructor parameter each.
/// </summary>
public sealed record EnginePorts(
    IMemberRepository Members,
    IInterviewRepository Interviews,
    INudgeRepository Nudges,
    IFormDraftRepository Drafts,
    INudgeScheduler Scheduler,
    NudgePlanner Planner,
    NudgeComposer Composer)
{
    /// <summary>Cohorts, digests and the member's own data; null in compositions without them, which answer that they
    /// are not set up.</summary>
    public CohortPorts? Cohorts { get; init; }
}

/// <summary>The ports behind /cohort, /followup export and /followup delete-my-data.</summary>
public sealed record CohortPorts(
    ICohortRepository Cohorts,
    ICohortScheduler Scheduler,
    IMemberDataRepository MemberData,
    CoachDashboard? Dashboard = null);
