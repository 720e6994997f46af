using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Playbooks;

/// <summary>
/// ADVICE.md as data: one step per nudge kind, loaded from bot-config/playbook.json and validated at load.
/// </summary>
public sealed record Playbook(string Version, IReadOnlyList<PlaybookStep> Steps)
{
    public PlaybookStep Step(NudgeKind kind) =>
        Steps.FirstOrDefault(s => s.Kind == kind)
        ?? throw new InvalidOperationException($"The playbook has no step for '{kind.Name()}'.");

    /// <summary>Parses and validates playbook JSON; throws <see cref="PlaybookException"/> naming the problem.</summary>
    public static Playbook Parse(string json) => throw new NotImplementedException("TODO(planner)");
}

/// <summary>
/// One rule of the playbook. Scheduling details (anchor, delay, time of day, conditions, repeats) are
/// added by the planner's design; the members below are the ones other layers rely on.
/// </summary>
public sealed record PlaybookStep(
    NudgeKind Kind,
    string Rule,
    IReadOnlyList<string> Sources,
    TimeSpan MaxLateness,
    bool QuietHoursApply,
    string Text,
    string LateText);

public sealed class PlaybookException(string message) : Exception(message);
