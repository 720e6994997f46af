using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>What the engine's parts share: the ports, the planner and the composer.</summary>
internal sealed record EnginePorts(
    IMemberRepository Members,
    IInterviewRepository Interviews,
    INudgeRepository Nudges,
    IFormDraftRepository Drafts,
    INudgeScheduler Scheduler,
    NudgePlanner Planner,
    NudgeComposer Composer);
