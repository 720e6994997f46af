using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// <c>/interview done</c> and its form: stores at once when the command carries everything required, otherwise
/// keeps what was given in a form draft and asks for the rest; on errors it asks again with the member's values kept.
/// An interview with a company whose application is still open is its next round; one that looks like the same
/// interview again (that company, no outcome yet, ended within a day) is stored only once the member confirms.
/// </summary>
internal sealed class InterviewRecording(EnginePorts ports, InterviewProgress progress, Replanner replanner)
{
    /// <summary>Draft key listing the fields the form showed, so an error shows the same questions again.</summary>
    internal const string ShownKey = "_shown";

    /// <summary>Draft key: the interview this one may repeat, while the member is asked to confirm.</summary>
    internal const string RepeatsKey = "_repeats";

    /// <summary>Draft key: the details a one-line command left out, asked once it is stored.</summary>
    internal const string SkippedKey = "_skipped";


    /// <summary>How close two interviews with one company must have ended to ask whether they are the same.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(1);

    /// <summary>The optional details a one-line command may leave out, which R8, R4 and R5 depend on.</summary>
    private static readonly (string Option, DetailQuestion Question)[] Details =
    [
        (InterviewForm.DecisionDate, DetailQuestion.DecisionDate),
        (InterviewForm.FollowUpInvited, DetailQuestion.FollowUpInvited),
        (InterviewForm.References, DetailQuestion.References),
    ];

    public async Task<IReadOnlyList<OutboundAction>> CommandAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        var given = options.Where(o => InterviewForm.Has(options, o.Key)).ToDictionary(o => o.Key, o => o.Value.Trim());
        var draft = await ports.Drafts.FindAsync(turn.Member.Id, InterviewForm.Id, cancellationToken);

        var complete = InterviewForm.RequiredNames.All(given.ContainsKey);
        var answers = InterviewForm.Validate(given, turn.Now, turn.Zone, requireAll: complete, out var errors);
        if (answers is not null)
        {
            // Everything required came on one line: the details left out were never asked, so they are asked after storing.
            var skipped = Details.Where(d => !given.ContainsKey(d.Option)).Select(d => d.Question).ToList();
            return await StoreAsync(turn, answers, skipped, confirmed: false, cancellationToken);
        }

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
            var saved = await StoreAsync(turn, answers, [], confirmed: false, cancellationToken);
            // Asking whether it repeats an interview keeps the answers in the draft until the member says.
            if (draft is not null && !IsRepeatQuestion(saved))
                await ports.Drafts.DeleteAsync(turn.Member.Id, InterviewForm.Id, cancellationToken);
            return saved;
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
        // Bookkeeping keys (the fields shown, a pending "is this a repeat?") belong to the earlier step only.
        foreach (var (k, v) in earlier ?? new Dictionary<string, string>())
            if (!k.StartsWith('_')) merged[k] = v;
        foreach (var (k, v) in later)
        {
            if (string.IsNullOrWhiteSpace(v)) merged.Remove(k);
            else merged[k] = v;
        }
        return merged;
    }

    private static bool IsRepeatQuestion(IReadOnlyList<OutboundAction> actions) =>
        actions is [Reply { Message.Buttons: [{ Id: var id }, ..] }] && ButtonId.TryParse(id, out var button) &&
        button is ConfirmButton { Kind: ConfirmationKind.SameInterview };

    /// <summary>
    /// Stores the interview (as the next round of an open application with that company, if there is one) and answers
    /// with what comes, then with the questions <paramref name="skipped"/>. Unless <paramref name="confirmed"/>, an
    /// apparent repeat of an interview just recorded is held in the draft and the member asked first.
    /// </summary>
    private async Task<IReadOnlyList<OutboundAction>> StoreAsync(Turn turn, InterviewAnswers a, IReadOnlyList<DetailQuestion> skipped,
        bool confirmed, CancellationToken cancellationToken)
    {
        var all = await ports.Interviews.ListAsync(turn.Member.Id, openOnly: false, cancellationToken);
        var process = InterviewProcess.Of(all)
            .Where(p => p.IsOpen && p.Stage != ProcessStage.Offer && SameApplication(p.Current, a))
            .MaxBy(p => p.Current.EndedAt);
        if (process is { Stage: ProcessStage.Interviewing } && !confirmed && (process.Current.EndedAt - a.EndedAt).Duration() < RepeatWindow)
            return [await AskIfRepeatAsync(turn, a, skipped, process.Current, cancellationToken)];

        // The round before is closed first: should storing this one fail, the member's retry finds the next round awaited.
        var previous = process is null ? null : await progress.CloseRoundForNextAsync(turn, process.Current, cancellationToken);

        var interview = new Interview(0, turn.Member.Id, 0, a.Company, a.Role, a.Interviewers, a.Format, a.EndedAt,
            a.DecisionDate, a.FollowUpInvited, a.References, a.Notes, turn.Now)
        {
            ProcessId = previous?.ProcessId ?? 0,
            Round = previous is null ? 1 : previous.Round + 1,
            OpenQuestions = skipped,
        };
        var (stored, nudges, tooLate) = await replanner.RecordAsync(turn, interview, cancellationToken);

        var lines = new List<string>
        {
            previous is null
                ? $"{Wording.Short(stored)} saved: {Summary(stored, turn)}."
                : $"{Wording.Short(stored)} saved as round {stored.Round} of your {stored.Company} application " +
                  $"(round {previous.Round} was {Wording.Short(previous)}, {turn.Local(previous.EndedAt)}): {Summary(stored, turn)}. " +
                  $"Round {previous.Round}'s follow-ups are closed.",
            $"Coming up (your time, {turn.Zone.Id}):",
        };
        lines.AddRange(NudgeBook.Upcoming(nudges, turn, 4, out var more));
        if (more > 0) lines.Add($"…and {more} more. /interview list shows what is next any time.");
        if (tooLate.Count > 0) lines.Add(Replanner.TooLate(turn, tooLate));
        var answer = new Reply(new Message(string.Join('\n', lines)));
        var questions = InterviewDetails.Questions(stored,
            $"You left out a few details my advice depends on. Answer with a button, now or later (/interview show id:{stored.Number} asks again):");
        return questions is null ? [answer] : [answer, new Reply(questions)];
    }

    /// <summary>One application: the same company, and the same role unless one of them named none.</summary>
    private static bool SameApplication(Interview earlier, InterviewAnswers a) =>
        string.Equals(Normalize(earlier.Company), Normalize(a.Company), StringComparison.OrdinalIgnoreCase) &&
        (earlier.Role is null || a.Role is null || string.Equals(Normalize(earlier.Role), Normalize(a.Role), StringComparison.OrdinalIgnoreCase));

    private static string Normalize(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Keeps the answers (times and dates resolved, so a later "yes" stores what was meant) and asks first.</summary>
    private async Task<OutboundAction> AskIfRepeatAsync(Turn turn, InterviewAnswers a, IReadOnlyList<DetailQuestion> skipped,
        Interview earlier, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [InterviewForm.Company] = a.Company,
            [InterviewForm.Interviewers] = string.Join(", ", a.Interviewers),
            [InterviewForm.Format] = a.Format.ToString().ToLowerInvariant(),
            [InterviewForm.Ended] = TimeZoneInfo.ConvertTime(a.EndedAt, turn.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            [InterviewForm.DecisionDate] = a.DecisionDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "not said",
            [InterviewForm.FollowUpInvited] = a.FollowUpInvited ? "yes" : "no",
            [InterviewForm.References] = a.References.Count == 0 ? "none" : string.Join(", ", a.References),
            [RepeatsKey] = earlier.Id.ToString(CultureInfo.InvariantCulture),
            [SkippedKey] = string.Join(',', skipped),
        };
        if (a.Role is not null) values[InterviewForm.Role] = a.Role;
        if (a.Notes is not null) values[InterviewForm.Notes] = a.Notes;
        await ports.Drafts.SaveAsync(turn.Member.Id, InterviewForm.Id, values, turn.Now, cancellationToken);

        return new Reply(new Message(
            $"You already recorded {Wording.Name(earlier)}: {earlier.Format.ToString().ToLowerInvariant()}, ended {turn.Local(earlier.EndedAt)}. " +
            $"Is this another interview with {earlier.Company}? I stored nothing yet; your answers are kept until you choose.",
            [
                new Button(new ConfirmButton(ConfirmationKind.SameInterview, earlier.Id, Yes: true), "Yes, record it too", ButtonStyle.Primary),
                new Button(new ConfirmButton(ConfirmationKind.SameInterview, earlier.Id, Yes: false), "No, the same one"),
            ]));
    }

    /// <summary>The answer to "is this another interview?": store the kept answers, or drop them.</summary>
    public async Task<IReadOnlyList<OutboundAction>> ConfirmRepeatAsync(Turn turn, long earlierId, bool yes, CancellationToken cancellationToken)
    {
        var draft = await ports.Drafts.FindAsync(turn.Member.Id, InterviewForm.Id, cancellationToken);
        if (draft?.GetValueOrDefault(RepeatsKey) != earlierId.ToString(CultureInfo.InvariantCulture))
            return [new UpdateMessage(new Message("Nothing is waiting for this answer any more, so I changed nothing. /interview list shows where things stand."))];
        var earlier = await ports.Interviews.GetAsync(earlierId, cancellationToken);
        if (earlier is not null && earlier.MemberId != turn.Member.Id) return [new Reply(new Message(ButtonRouting.NotYours))];
        if (!yes)
        {
            await ports.Drafts.DeleteAsync(turn.Member.Id, InterviewForm.Id, cancellationToken);
            return [new UpdateMessage(new Message(earlier is null
                ? "Nothing stored."
                : $"Nothing stored: {Wording.Name(earlier)} stays as it was."))];
        }

        var values = draft.Where(v => InterviewForm.Names.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value);
        var answers = InterviewForm.Validate(values, turn.Now, turn.Zone, requireAll: true, out var errors);
        if (answers is null)
        {
            await SaveDraftAsync(turn, values, errors.Keys, cancellationToken);
            return [new ShowForm(InterviewForm.Build(errors.Keys, values, errors,
                "Some answers need fixing before I store this one; everything else you gave is kept.", ports.Planner.Playbook))];
        }
        var skipped = (draft.GetValueOrDefault(SkippedKey) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(q => Enum.TryParse<DetailQuestion>(q, out var question) ? (DetailQuestion?)question : null).OfType<DetailQuestion>().ToList();
        var stored = await StoreAsync(turn, answers, skipped, confirmed: true, cancellationToken);
        await ports.Drafts.DeleteAsync(turn.Member.Id, InterviewForm.Id, cancellationToken);
        return stored.Select((a, i) => i == 0 && a is Reply r ? new UpdateMessage(r.Message) : a).ToList();
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
