using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Planning;

/// <summary>What the planner needs to know of an interview.</summary>
public sealed record InterviewFacts(
    DateTimeOffset EndedAt,
    InterviewFormat Format,
    IReadOnlyList<string> Interviewers,
    DateOnly? DecisionDate,
    bool FollowUpInvited,
    IReadOnlyList<string> References)
{
    public static InterviewFacts From(Interview interview) => new(
        interview.EndedAt, interview.Format, interview.Interviewers, interview.DecisionDate,
        interview.FollowUpInvited, interview.References);
}

/// <summary>The member's local frame: their zone and quiet hours.</summary>
public sealed record PlanningContext(TimeZoneInfo Zone, QuietHours QuietHours);

public sealed record PlannedNudge(NudgeKind Kind, DateTimeOffset DueAt, string? Interviewer = null, int Sequence = 0);

/// <summary>
/// Pure planning: facts + playbook + the member's zone and quiet hours -> nudges with due times.
/// Plans in local wall-clock time (DST-correct), keeps quiet hours (except the debrief) and puts
/// employer-facing steps on business days in business hours.
/// </summary>
public sealed class NudgePlanner(Playbook playbook)
{
    public Playbook Playbook => playbook;

    /// <summary>Everything that follows an interview, assuming each step is done on time:
    /// debrief, thank-yous and reminders, card, references, hold-off, keep-searching, every follow-up, outcome check.</summary>
    public IReadOnlyList<PlannedNudge> PlanInterview(InterviewFacts facts, PlanningContext context) =>
        throw new NotImplementedException("TODO(planner)");

    /// <summary>The follow-ups (and the outcome check after them) once the thank-you was sent at <paramref name="thankYouSentAt"/>.</summary>
    public IReadOnlyList<PlannedNudge> PlanFollowUps(InterviewFacts facts, DateTimeOffset thankYouSentAt, PlanningContext context) =>
        throw new NotImplementedException("TODO(planner)");

    /// <summary>What an outcome recorded at <paramref name="recordedAt"/> brings: feedback, offer details,
    /// reference thanks, or (waiting) another outcome check.</summary>
    public IReadOnlyList<PlannedNudge> PlanOutcome(InterviewFacts facts, Outcome outcome, DateTimeOffset recordedAt, PlanningContext context) =>
        throw new NotImplementedException("TODO(planner)");

    /// <summary>When following up stops being too soon: the later of T0 + 3 days and the day after the decision date.</summary>
    public DateTimeOffset FollowUpWindowOpensAt(InterviewFacts facts, PlanningContext context) =>
        throw new NotImplementedException("TODO(planner)");

    /// <summary>The next allowed delivery time at or after <paramref name="proposed"/> for this kind
    /// (quiet hours; business hours for employer-facing steps). Used for snoozes and late deliveries.</summary>
    public DateTimeOffset NextAllowedTime(NudgeKind kind, DateTimeOffset proposed, PlanningContext context) =>
        throw new NotImplementedException("TODO(planner)");
}
