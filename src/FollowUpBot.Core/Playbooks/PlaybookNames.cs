using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Playbooks;

/// <summary>The snake_case words playbook.json uses for anchors, conditions, outcomes and scopes.</summary>
public static class PlaybookNames
{
    public static IReadOnlyDictionary<string, PlanAnchor> Anchors { get; } = new Dictionary<string, PlanAnchor>(StringComparer.Ordinal)
    {
        ["interview_end"] = PlanAnchor.InterviewEnd,
        ["thank_you"] = PlanAnchor.ThankYou,
        ["decision_date"] = PlanAnchor.DecisionDate,
        ["first_follow_up"] = PlanAnchor.FirstFollowUp,
        ["outcome_recorded"] = PlanAnchor.OutcomeRecorded,
        ["next_round"] = PlanAnchor.NextRound,
        ["offer_deadline"] = PlanAnchor.OfferDeadline,
        ["close_after_no_reply"] = PlanAnchor.CloseAfterNoReply,
    };

    public static IReadOnlyDictionary<string, PlanCondition> Conditions { get; } = new Dictionary<string, PlanCondition>(StringComparer.Ordinal)
    {
        ["format_phone"] = PlanCondition.FormatPhone,
        ["format_video"] = PlanCondition.FormatVideo,
        ["format_onsite"] = PlanCondition.FormatOnsite,
        ["references_named"] = PlanCondition.ReferencesNamed,
        ["no_references"] = PlanCondition.NoReferences,
        ["decision_date_given"] = PlanCondition.DecisionDateGiven,
        ["no_decision_date"] = PlanCondition.NoDecisionDate,
        ["follow_up_invited"] = PlanCondition.FollowUpInvited,
        ["follow_up_not_invited"] = PlanCondition.FollowUpNotInvited,
    };

    public static IReadOnlyDictionary<string, Outcome> Outcomes { get; } =
        Enum.GetValues<Outcome>().ToDictionary(o => o.Name(), o => o, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, StepButton> Buttons { get; } = new Dictionary<string, StepButton>(StringComparer.Ordinal)
    {
        ["add_notes"] = StepButton.AddNotes,
        ["done"] = StepButton.Done,
        ["snooze"] = StepButton.Snooze,
        ["skip"] = StepButton.Skip,
        ["offer"] = StepButton.Offer,
        ["next_round"] = StepButton.NextRound,
        ["rejected"] = StepButton.Rejected,
        ["withdrawn"] = StepButton.Withdrawn,
        ["waiting"] = StepButton.Waiting,
        ["no_reply"] = StepButton.NoReply,
        ["accepted"] = StepButton.Accepted,
        ["declined"] = StepButton.Declined,
        ["set_deadline"] = StepButton.SetDeadline,
        ["close"] = StepButton.CloseProcess,
        ["keep_open"] = StepButton.KeepOpen,
    };

    public static IReadOnlyDictionary<string, StepScope> Scopes { get; } = new Dictionary<string, StepScope>(StringComparer.Ordinal)
    {
        ["interview"] = StepScope.Interview,
        ["interviewer"] = StepScope.Interviewer,
    };

    public static IReadOnlyDictionary<string, DayOfWeek> Days { get; } = new Dictionary<string, DayOfWeek>(StringComparer.OrdinalIgnoreCase)
    {
        ["monday"] = DayOfWeek.Monday, ["mon"] = DayOfWeek.Monday,
        ["tuesday"] = DayOfWeek.Tuesday, ["tue"] = DayOfWeek.Tuesday,
        ["wednesday"] = DayOfWeek.Wednesday, ["wed"] = DayOfWeek.Wednesday,
        ["thursday"] = DayOfWeek.Thursday, ["thu"] = DayOfWeek.Thursday,
        ["friday"] = DayOfWeek.Friday, ["fri"] = DayOfWeek.Friday,
        ["saturday"] = DayOfWeek.Saturday, ["sat"] = DayOfWeek.Saturday,
        ["sunday"] = DayOfWeek.Sunday, ["sun"] = DayOfWeek.Sunday,
    };

    public static string Name(this PlanAnchor anchor) => Anchors.First(p => p.Value == anchor).Key;

    public static string Name(this PlanCondition condition) => Conditions.First(p => p.Value == condition).Key;
}
