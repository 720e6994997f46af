using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// <c>/interview done</c> and its form: stores at once when the command carries everything required, otherwise
/// keeps what was given in a form draft and asks for the rest; on errors it asks again with the member's values kept.
/// </summary>
internal sealed class InterviewRecording(EnginePorts ports, Replanner replanner)
{
    /// <summary>Draft key listing the fields the form showed, so an error shows the same questions again.</summary>
    internal const string ShownKey = "_shown";

    public async Task<IReadOnlyList<OutboundAction>> CommandAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        var given = options.Where(o => InterviewForm.Has(options, o.Key)).ToDictionary(o => o.Key, o => o.Value.Trim());
        var draft = await ports.Drafts.FindAsync(turn.Member.Id, InterviewForm.Id, cancellationToken);

        var complete = InterviewForm.RequiredNames.All(given.ContainsKey);
        var answers = InterviewForm.Validate(given, turn.Now, turn.Zone, requireAll: complete, out var errors);
        if (answers is not null) return [await StoreAsync(turn, answers, cancellationToken)];

        // Ask for what is missing and for what was wrong; everything typed so far stays in the draft.
        var values = Merge(draft, given);
        var shown = InterviewForm.Names.Where(n => !given.ContainsKey(n) || errors.ContainsKey(n)).ToList();
        await SaveDraftAsync(turn, values, shown, cancellationToken);

        var intro = errors.Count > 0
            ? "Some answers need fixing; everything else you gave is kept."
            : draft is not null && draft.Keys.Any(k => k != ShownKey && shown.Contains(k))
                ? "I kept your earlier answers; check them and fill in the rest."
                : "A few questions about the interview. Only the first ones are required.";
        return [new ShowForm(InterviewForm.Build(shown, values, errors, intro, ports.Planner.Playbook))];
    }

    public async Task<IReadOnlyList<OutboundAction>> SubmitAsync(Turn turn, IReadOnlyDictionary<string, string> submitted,
        CancellationToken cancellationToken)
    {
        var draft = await ports.Drafts.FindAsync(turn.Member.Id, InterviewForm.Id, cancellationToken);
        var values = Merge(draft, submitted.Where(v => InterviewForm.Names.Contains(v.Key))
            .ToDictionary(v => v.Key, v => v.Value.Trim()));

        var answers = InterviewForm.Validate(values, turn.Now, turn.Zone, requireAll: true, out var errors);
        if (answers is not null)
        {
            var saved = await StoreAsync(turn, answers, cancellationToken);
            if (draft is not null) await ports.Drafts.DeleteAsync(turn.Member.Id, InterviewForm.Id, cancellationToken);
            return [saved];
        }

        var shown = draft?.GetValueOrDefault(ShownKey)?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList()
                    ?? InterviewForm.Names.ToList();
        shown.AddRange(errors.Keys.Where(k => !shown.Contains(k)));
        await SaveDraftAsync(turn, values, shown, cancellationToken);
        return [new ShowForm(InterviewForm.Build(shown, values, errors,
            "Some answers need fixing; everything you typed is kept.", ports.Planner.Playbook))];
    }

    private Task SaveDraftAsync(Turn turn, Dictionary<string, string> values, IEnumerable<string> shown, CancellationToken cancellationToken)
    {
        var draft = new Dictionary<string, string>(values) { [ShownKey] = string.Join(',', shown) };
        return ports.Drafts.SaveAsync(turn.Member.Id, InterviewForm.Id, draft, turn.Now, cancellationToken);
    }

    /// <summary>Later values win; an empty later value clears the field (the member emptied it).</summary>
    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? earlier, IReadOnlyDictionary<string, string> later)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in earlier ?? new Dictionary<string, string>())
            if (k != ShownKey) merged[k] = v;
        foreach (var (k, v) in later)
        {
            if (string.IsNullOrWhiteSpace(v)) merged.Remove(k);
            else merged[k] = v;
        }
        return merged;
    }

    private async Task<OutboundAction> StoreAsync(Turn turn, InterviewAnswers a, CancellationToken cancellationToken)
    {
        var interview = new Interview(0, turn.Member.Id, 0, a.Company, a.Role, a.Interviewers, a.Format, a.EndedAt,
            a.DecisionDate, a.FollowUpInvited, a.References, a.Notes, turn.Now);
        var (stored, nudges, tooLate) = await replanner.RecordAsync(turn, interview, cancellationToken);

        var lines = new List<string>
        {
            $"{Wording.Short(stored)} saved: {Summary(stored, turn)}.",
            $"Coming up (your time, {turn.Zone.Id}):",
        };
        lines.AddRange(NudgeBook.Upcoming(nudges, turn, 4, out var more));
        if (more > 0) lines.Add($"…and {more} more. /interview list shows what is next any time.");
        if (tooLate.Count > 0) lines.Add(Replanner.TooLate(tooLate));
        return new Reply(new Message(string.Join('\n', lines)));
    }

    internal static string Summary(Interview interview, Turn turn)
    {
        var parts = new List<string>();
        if (interview.Role is not null) parts.Add(interview.Role);
        parts.Add(interview.Format.ToString().ToLowerInvariant());
        parts.Add($"ended {turn.Local(interview.EndedAt)}");
        parts.Add(Wording.Count(interview.Interviewers.Count, "interviewer", "interviewers"));
        parts.Add(interview.DecisionDate is { } d ? $"decision expected {Wording.Day(d)}" : "decision date not said");
        if (interview.FollowUpInvited) parts.Add("direct follow-up invited");
        if (interview.References.Count > 0) parts.Add(Wording.Count(interview.References.Count, "reference", "references"));
        return string.Join(", ", parts);
    }
}
