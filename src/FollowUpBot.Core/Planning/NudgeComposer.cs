using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Planning;

/// <summary>Writes a nudge's message from the playbook's wording, with its buttons (see <see cref="ButtonIds"/>).</summary>
public sealed class NudgeComposer(Playbook playbook)
{
    /// <summary>The DM for a stored nudge. <paramref name="late"/> switches to the step's late wording.</summary>
    public Message Compose(Nudge nudge, Interview interview, bool late) =>
        throw new NotImplementedException("TODO(planner)");

    /// <summary>The text alone, for a planned (not yet stored) nudge, as the plan command prints it.</summary>
    public string Describe(PlannedNudge planned, InterviewFacts facts, string? company = null, string? role = null) =>
        throw new NotImplementedException("TODO(planner)");
}
