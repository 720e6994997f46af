using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// The debrief notes of one stored interview (form id "interview-notes:{interview id}", one field "notes").
/// Saving them also closes the debrief nudge: its job is done.
/// </summary>
internal sealed class NotesForm(EnginePorts ports, NudgeBook book)
{
    public static string FormId(long interviewId) => new Messages.FormId(FormKind.Notes, interviewId).Format();

    public async Task<ShowForm> ShowAsync(Turn turn, Interview interview, CancellationToken cancellationToken)
    {
        var draft = await ports.Drafts.FindAsync(turn.Member.Id, FormId(interview.Id), cancellationToken);
        var value = draft?.GetValueOrDefault(InterviewForm.Notes) ?? interview.Notes;
        return Build(interview, value, error: null);
    }

    public async Task<IReadOnlyList<OutboundAction>> SubmitAsync(Turn turn, long interviewId, IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        var interview = await ports.Interviews.GetAsync(interviewId, cancellationToken);
        if (interview is null)
            return [new Reply(new Message("That interview is no longer stored, so I couldn't save the notes. /interview list shows yours."))];
        if (interview.MemberId != turn.Member.Id) return [new Reply(new Message(ButtonRouting.NotYours))];

        var notes = values.GetValueOrDefault(InterviewForm.Notes)?.Trim() ?? "";
        var formId = FormId(interview.Id);
        if (notes.Length > InterviewForm.MaxNotes)
        {
            await ports.Drafts.SaveAsync(turn.Member.Id, formId, new Dictionary<string, string> { [InterviewForm.Notes] = notes }, turn.Now,
                cancellationToken);
            return [Build(interview, notes,
                $"Notes can be at most {Wording.Thousands(InterviewForm.MaxNotes)} characters (yours have {Wording.Thousands(notes.Length)}). " +
                "Shorten them a little; your text is kept here.")];
        }

        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var debriefs = nudges.Where(n => n.Kind == NudgeKind.Debrief && NudgeBook.Markable.Contains(n.State))
            .Select(n => new NudgeStateChange(n.Id, NudgeBook.Markable, NudgeState.Done)).ToList();
        await book.ApplyAsync(interview with { Notes = notes.Length == 0 ? null : notes }, nudges, new NudgeChanges([], debriefs),
            cancellationToken);
        await ports.Drafts.DeleteAsync(turn.Member.Id, formId, cancellationToken);
        return [new Reply(new Message(notes.Length == 0
            ? $"Cleared the notes of {Wording.Short(interview)}."
            : $"Saved your notes for {Wording.Short(interview)}. The thank-you nudges will remind you of them."))];
    }

    private static ShowForm Build(Interview interview, string? value, string? error) =>
        new(new Form(FormId(interview.Id), "Debrief notes",
        [
            new FormField(InterviewForm.Notes, "Debrief notes", FormFieldKind.LongText, Required: false,
                Value: string.IsNullOrEmpty(value) ? null : value, Error: error,
                Hint: "What went well, hard questions, what you forgot to say, what to clarify", MaxLength: InterviewForm.MaxNotes),
        ], $"Notes for {Wording.Name(interview)}, while it is fresh."));
}
