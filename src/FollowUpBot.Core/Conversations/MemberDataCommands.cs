using System.Globalization;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// <c>/followup export</c> and <c>/followup delete-my-data</c>. The export goes by direct message to the member
/// who asked, and only to them; the deletion asks first, then removes every row in one transaction and the
/// scheduler's triggers after it.
/// </summary>
internal sealed class MemberDataCommands(EnginePorts ports, ICohortRepository cohorts, IMemberDataRepository data,
    ICohortScheduler cohortScheduler, MemberDataExport export)
{

    public async Task<IReadOnlyList<OutboundAction>> ExportAsync(Turn turn, CancellationToken cancellationToken)
    {
        var file = await export.ExportAsync(turn.Member, turn.Now, cancellationToken);
        var dm = new Message($"Here is everything I store about you, as a JSON file ({file.FileName}): your settings, interviews " +
                             "with your notes, nudges, outcomes and cohort memberships.") { Attachment = file };
        return
        [
            new SendDirectMessage(turn.Member.Key, dm),
            new Reply(new Message($"I've sent your data to you in a direct message as {file.FileName}.")),
        ];
    }

    public async Task<IReadOnlyList<OutboundAction>> DeleteAsync(Turn turn, CancellationToken cancellationToken)
    {
        var interviews = await ports.Interviews.ListAsync(turn.Member.Id, openOnly: false, cancellationToken);
        var joined = await cohorts.ListJoinedAsync(turn.Member.Id, cancellationToken);
        var coached = await cohorts.ListByCoachAsync(turn.Member.Id, cancellationToken);
        var what = new List<string>
        {
            "your settings",
            Wording.Count(interviews.Count, "interview", "interviews") + " with all their nudges and notes",
            Wording.Count(joined.Count, "cohort membership", "cohort memberships"),
        };
        if (coached.Count > 0)
            what.Add($"the {Wording.Count(coached.Count, "cohort", "cohorts")} you coach ({string.Join(", ", coached.Select(c => c.Name))}), " +
                     "with their members' consent records and digests");
        return
        [
            new Reply(new Message($"Delete everything I store about you: {string.Join(", ", what)}? Pending nudges stop. This cannot be undone; " +
                                  "/followup export first if you want a copy.",
            [
                new Button(new ConfirmButton(ConfirmationKind.DeleteMyData, turn.Member.Id, Yes: true), "Yes, delete all my data", ButtonStyle.Danger),
                new Button(new ConfirmButton(ConfirmationKind.DeleteMyData, turn.Member.Id, Yes: false), "No, keep it"),
            ])),
        ];
    }

    public async Task<IReadOnlyList<OutboundAction>> ConfirmDeleteAsync(Turn turn, long memberId, bool yes, CancellationToken cancellationToken)
    {
        if (memberId != turn.Member.Id) return [new Reply(new Message("That button belongs to someone else, so I left it alone."))];
        if (!yes) return [new UpdateMessage(new Message("Kept your data; nothing changed."))];

        var removed = await data.DeleteMemberAsync(turn.Member.Id, cancellationToken);
        // The rows are gone in one transaction; triggers left behind by a crash here find no row and are removed
        // by the reconcilers.
        if (removed.NudgeIds.Count > 0) await ports.Scheduler.UnscheduleAsync(removed.NudgeIds, cancellationToken);
        if (removed.CohortIds.Count > 0) await cohortScheduler.UnscheduleDigestsAsync(removed.CohortIds, cancellationToken);

        var parts = new List<string>
        {
            "your settings",
            Wording.Count(removed.Interviews, "interview", "interviews"),
            Wording.Count(removed.NudgeIds.Count, "nudge", "nudges") + " (none will be sent)",
            Wording.Count(removed.Memberships, "cohort membership", "cohort memberships"),
        };
        if (removed.CohortIds.Count > 0) parts.Add(Wording.Count(removed.CohortIds.Count, "cohort you coached", "cohorts you coached") + " (its digests stopped)");
        if (removed.FormDrafts > 0) parts.Add(Wording.Count(removed.FormDrafts, "unfinished form", "unfinished forms"));
        return [new UpdateMessage(new Message($"Deleted {string.Join(", ", parts)}. I keep nothing else about you; " +
                                              "if you use a command again, I start afresh."))];
    }
}
