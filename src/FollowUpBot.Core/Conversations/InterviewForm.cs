using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Conversations;

/// <summary>What <c>/interview done</c> collected, validated.</summary>
internal sealed record InterviewAnswers(
    string Company,
    string? Role,
    IReadOnlyList<string> Interviewers,
    InterviewFormat Format,
    DateTimeOffset EndedAt,
    DateOnly? DecisionDate,
    bool FollowUpInvited,
    IReadOnlyList<string> References,
    string? Notes);

/// <summary>
/// The questions of <c>/interview done</c> (form id <see cref="Id"/>; field names = the command's option names)
/// and their validation. Labels stay within 45 characters and hints within 100 so every platform's modal can show them.
/// </summary>
internal static class InterviewForm
{
    public static string Id { get; } = FormId.InterviewDone.Format();
    public const string Title = "Your interview";

    public const string Company = "company";
    public const string Role = "role";
    public const string Interviewers = "interviewers";
    public const string Format = "format";
    public const string DecisionDate = "decision-date";
    public const string FollowUpInvited = "follow-up-invited";
    public const string References = "references";
    public const string Ended = "ended";
    public const string Notes = "notes";

    public const int MaxPeople = 10;
    public const int MaxName = 100;
    public const int MaxNotes = 2000;

    /// <summary>The questions in the order they are asked: required first.</summary>
    public static IReadOnlyList<FormField> Fields { get; } =
    [
        new(Company, "Company", FormFieldKind.Text, true, Hint: "Acme", MaxLength: MaxName),
        new(Interviewers, "Interviewers (comma-separated)", FormFieldKind.Text, true,
            Hint: "Ana Ruiz, Ben Ode (at most 10)", MaxLength: MaxPeople * (MaxName + 2)),
        new(Format, "Format", FormFieldKind.Choice, true, Hint: "phone, video or onsite", MaxLength: 10,
            Choices: [new("phone", "Phone"), new("video", "Video call"), new("onsite", "On site")]),
        new(Role, "Role", FormFieldKind.Text, false, Hint: "Backend Engineer", MaxLength: MaxName),
        new(DecisionDate, "When will they decide?", FormFieldKind.Date, false,
            Hint: "2026-12-08, friday, next week, in 2 weeks, or not said (the default)", MaxLength: 30),
        new(FollowUpInvited, "Invited to follow up with hiring manager?", FormFieldKind.YesNo, false,
            Hint: "yes only if they expressly invited direct follow-up with the hiring manager; else no", MaxLength: 3),
        new(References, "References they may call (comma-separated)", FormFieldKind.Text, false,
            Hint: "Kim Lee (at most 10), or none", MaxLength: MaxPeople * (MaxName + 2)),
        new(Ended, "When did it end? (empty = just now)", FormFieldKind.Text, false,
            Hint: "16:30, yesterday 16:30 or 2026-12-04 16:30 (your time)", MaxLength: 30),
        new(Notes, "Debrief notes", FormFieldKind.LongText, false,
            Hint: "What went well, hard questions, what you forgot to say, what to clarify", MaxLength: MaxNotes),
    ];

    public static IReadOnlyList<string> Names { get; } = Fields.Select(f => f.Name).ToList();

    public static IReadOnlyList<string> RequiredNames { get; } = Fields.Where(f => f.Required).Select(f => f.Name).ToList();

    /// <summary>
    /// The form asking <paramref name="shown"/> (in the usual order), pre-filled from <paramref name="values"/>.
    /// The playbook's own wording of the advice-bearing questions (R8's decision date first) joins the intro,
    /// and its hints replace the built-in ones.
    /// </summary>
    public static Form Build(IEnumerable<string> shown, IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, string> errors, string intro, Playbook playbook)
    {
        var wanted = shown.ToHashSet();
        var fields = Fields.Where(f => wanted.Contains(f.Name))
            .Select(f => f with
            {
                // Pre-filled as typed, so an answer a little too long is kept to be shortened; one far beyond the
                // field's limit (a 10,000-character company) is refused with its length and sent back cut.
                Value = values.GetValueOrDefault(f.Name) is { Length: > 0 } v ? (v.Length > 2 * f.MaxLength ? v[..(2 * f.MaxLength)] : v) : null,
                Error = errors.GetValueOrDefault(f.Name),
                Hint = Question(playbook, f.Name)?.Hint is { Length: > 0 and <= 100 } hint ? hint : f.Hint,
            })
            .ToList();
        var questions = fields.Select(f => Question(playbook, f.Name)?.Text).OfType<string>();
        return new Form(Id, Title, fields, string.Join('\n', questions.Prepend(intro)));
    }

    private static PlaybookQuestion? Question(Playbook playbook, string field) => playbook.Questions.FirstOrDefault(q => q.Id == field);

    public static bool Has(IReadOnlyDictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v);

    /// <summary>
    /// Checks every field. Missing required fields count as errors only when <paramref name="requireAll"/>;
    /// the decision date is compared with the interview day. An edit passes the stored end time as
    /// <paramref name="endedWhenEmpty"/>, so leaving "ended" out keeps it (rather than meaning "just now").
    /// </summary>
    public static InterviewAnswers? Validate(IReadOnlyDictionary<string, string> values, DateTimeOffset now, TimeZoneInfo zone,
        bool requireAll, out Dictionary<string, string> errors, DateTimeOffset? endedWhenEmpty = null)
    {
        errors = [];
        string Get(string name) => values.GetValueOrDefault(name)?.Trim() ?? "";

        var company = Get(Company);
        if (company.Length == 0)
        {
            if (requireAll) errors[Company] = "Company is required: the employer's name, for example Acme.";
        }
        else if (company.Length > MaxName)
            errors[Company] = $"Company can be at most {MaxName} characters (this one has {company.Length}). Shorten it, for example Acme.";

        var role = Get(Role);
        if (role.Length > MaxName)
            errors[Role] = $"Role can be at most {MaxName} characters (this one has {role.Length}). Shorten it, for example Backend Engineer.";

        var interviewers = People(Get(Interviewers));
        if (interviewers.Count == 0)
        {
            if (requireAll || values.ContainsKey(Interviewers) && Get(Interviewers).Length > 0)
                errors[Interviewers] = "Name at least one interviewer, separated by commas, for example Ana Ruiz, Ben Ode.";
        }
        else if (SaysNobody(Get(Interviewers)))
            // Each interviewer gets a thank-you nudge by name; one to "none" helps nobody.
            errors[Interviewers] = "Name at least one interviewer; if you did not catch a name, a description works, for example the hiring manager.";
        else if (PeopleError("interviewers", interviewers, "Ana Ruiz, Ben Ode") is { } interviewersError)
            errors[Interviewers] = interviewersError;

        InterviewFormat format = default;
        var formatText = Get(Format).ToLowerInvariant().Replace("-", "").Replace(" ", "");
        if (formatText.Length == 0)
        {
            if (requireAll) errors[Format] = "Format is required: phone, video or onsite.";
        }
        else if (formatText is "phone" or "call" or "phonescreen") format = InterviewFormat.Phone;
        else if (formatText is "video" or "videocall" or "remote") format = InterviewFormat.Video;
        else if (formatText is "onsite" or "inperson" or "facetoface") format = InterviewFormat.Onsite;
        else errors[Format] = $"Format must be phone, video or onsite (you wrote {Wording.Quote(Get(Format))}).";

        var invited = false;
        var invitedText = Get(FollowUpInvited).ToLowerInvariant();
        if (invitedText is "yes" or "y" or "true") invited = true;
        else if (invitedText is not ("" or "no" or "n" or "false"))
            errors[FollowUpInvited] = $"Answer yes or no (you wrote {Wording.Quote(Get(FollowUpInvited))}): yes only if the employer " +
                                      "expressly invited you to follow up directly with the hiring manager.";

        var references = ReadReferences(Get(References), out var referencesError);
        if (referencesError is not null) errors[References] = referencesError;

        var ended = endedWhenEmpty ?? now;
        string? endedError = null;
        var endedOk = Get(Ended).Length == 0 && endedWhenEmpty is not null || EndedText.TryParse(Get(Ended), now, zone, out ended, out endedError);
        if (!endedOk) errors[Ended] = endedError!;

        var today = ZonedTime.Today(now, zone);
        if (!DecisionDateText.TryParse(Get(DecisionDate), today, out var decision, out var decisionError))
            errors[DecisionDate] = decisionError!;
        else if (endedOk && decision is { } d && d < ZonedTime.Today(ended, zone))
        {
            var day = ZonedTime.Today(ended, zone);
            errors[DecisionDate] = $"The decision date {d:yyyy-MM-dd} is before the interview day ({day:yyyy-MM-dd}). " +
                                   $"Give a later date, for example {day.AddDays(7):yyyy-MM-dd}, or not said.";
        }

        var notes = Get(Notes);
        if (notes.Length > MaxNotes)
            errors[Notes] = $"Notes can be at most {Wording.Thousands(MaxNotes)} characters (yours have {Wording.Thousands(notes.Length)}). " +
                            "Shorten them; the debrief nudge lets you replace them later.";

        if (errors.Count > 0 || company.Length == 0 || interviewers.Count == 0 || formatText.Length == 0) return null;
        return new InterviewAnswers(company, role.Length == 0 ? null : role, interviewers, format, ended, decision, invited,
            references, notes.Length == 0 ? null : notes);
    }

    /// <summary>Comma- (or semicolon- or line-) separated names, trimmed, without repeats.</summary>
    public static IReadOnlyList<string> People(string text) =>
        text.Split([',', ';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>References as typed: names separated by commas, or "none" (and the like) for none.</summary>
    public static IReadOnlyList<string> ReadReferences(string text, out string? error)
    {
        IReadOnlyList<string> references = SaysNobody(text) ? [] : People(text);
        error = PeopleError("references", references, "Kim Lee");
        return references;
    }

    /// <summary>"none" and the like, typed where names go (references are optional, so members say so).</summary>
    private static bool SaysNobody(string text) =>
        text.Trim().Trim('.').ToLowerInvariant() is "none" or "no" or "nobody" or "no one" or "n/a" or "na" or "-";

    private static string? PeopleError(string what, IReadOnlyList<string> people, string example)
    {
        if (people.Count > MaxPeople)
            return $"At most {MaxPeople} {what} (you gave {people.Count}). Keep the ones that matter most, for example {example}.";
        var tooLong = people.FirstOrDefault(p => p.Length > MaxName);
        return tooLong is null
            ? null
            : $"Each name in {what} can be at most {MaxName} characters; {Wording.Quote(tooLong)} has {tooLong.Length}. " +
              $"Separate names with commas, for example {example}.";
    }
}
