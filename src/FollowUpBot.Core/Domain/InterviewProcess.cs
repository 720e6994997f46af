namespace FollowUpBot.Core.Domain;

/// <summary>
/// Where an application stands. <see cref="Interviewing"/> until an outcome is recorded; the last four close the
/// process. Derived from the latest round's <see cref="Outcome"/>, so the stage can never disagree with it.
/// </summary>
public enum ProcessStage { Interviewing, NextRound, Waiting, NoReply, Offer, Accepted, Rejected, Withdrawn, ClosedNoReply }

public static class ProcessStages
{
    public static ProcessStage Of(Outcome? outcome) => outcome switch
    {
        null => ProcessStage.Interviewing,
        Outcome.NextRound => ProcessStage.NextRound,
        Outcome.Waiting => ProcessStage.Waiting,
        Outcome.NoReply => ProcessStage.NoReply,
        Outcome.Offer => ProcessStage.Offer,
        Outcome.Accepted => ProcessStage.Accepted,
        Outcome.Rejected => ProcessStage.Rejected,
        Outcome.Withdrawn => ProcessStage.Withdrawn,
        _ => ProcessStage.ClosedNoReply,
    };

    public static bool IsClosed(this ProcessStage stage) =>
        stage is ProcessStage.Accepted or ProcessStage.Rejected or ProcessStage.Withdrawn or ProcessStage.ClosedNoReply;

    /// <summary>The snake_case name exports and scripts use: "next_round", "closed_no_reply".</summary>
    public static string Name(this ProcessStage stage) => stage switch
    {
        ProcessStage.Interviewing => "interviewing",
        ProcessStage.NextRound => "next_round",
        ProcessStage.Waiting => "waiting",
        ProcessStage.NoReply => "no_reply",
        ProcessStage.Offer => "offer",
        ProcessStage.Accepted => "accepted",
        ProcessStage.Rejected => "rejected",
        ProcessStage.Withdrawn => "withdrawn",
        _ => "closed_no_reply",
    };

    /// <summary>How a member or a coach reads it.</summary>
    public static string Describe(this ProcessStage stage) => stage switch
    {
        ProcessStage.Interviewing => "interviewing",
        ProcessStage.NextRound => "next round ahead",
        ProcessStage.Waiting => "they replied, still deciding",
        ProcessStage.NoReply => "no reply to your follow-up yet",
        ProcessStage.Offer => "offer on the table",
        ProcessStage.Accepted => "closed: offer accepted",
        ProcessStage.Rejected => "closed: rejected",
        ProcessStage.Withdrawn => "closed: withdrawn",
        _ => "closed: no reply",
    };
}

/// <summary>
/// An application: the rounds of one company a member interviewed for, in order. Rounds share
/// <see cref="Interview.ProcessId"/>; the latest round (<see cref="Current"/>) carries the stage.
/// </summary>
public sealed record InterviewProcess(long Id, IReadOnlyList<Interview> Rounds)
{
    public Interview Current => Rounds[^1];

    public string Company => Current.Company;

    public ProcessStage Stage => Current.Stage;

    public bool IsOpen => !Stage.IsClosed();

    /// <summary>The member's interviews grouped into processes, ordered by their latest round's number.</summary>
    public static IReadOnlyList<InterviewProcess> Of(IEnumerable<Interview> interviews) =>
        interviews.GroupBy(i => i.ProcessId == 0 ? i.Id : i.ProcessId)
            .Select(g => new InterviewProcess(g.Key, g.OrderBy(i => i.Round).ThenBy(i => i.Number).ToList()))
            .OrderBy(p => p.Current.Number)
            .ToList();

    /// <summary>The process an interview belongs to, among the member's interviews.</summary>
    public static InterviewProcess Containing(Interview interview, IEnumerable<Interview> interviews)
    {
        var id = interview.ProcessId == 0 ? interview.Id : interview.ProcessId;
        return Of(interviews.Where(i => (i.ProcessId == 0 ? i.Id : i.ProcessId) == id).Append(interview).DistinctBy(i => i.Id)).Single();
    }
}
