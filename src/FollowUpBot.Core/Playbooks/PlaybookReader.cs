using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Playbooks;

/// <summary>
/// Reads playbook.json into a <see cref="Playbook"/>, refusing anything a planner could trip over later:
/// every error names the step and the field, so a coach tuning the file knows what to fix.
/// </summary>
internal static partial class PlaybookReader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Values long enough to stand for the engine's limits (10 interviewers, names of 100 characters).</summary>
    private static readonly string LongName = new('W', 100);
    private static readonly string LongList = string.Join(", ", Enumerable.Repeat(LongName, 9)) + " and " + LongName;

    [GeneratedRegex(@"^R[1-9][0-9]?$")]
    private static partial Regex RulePattern();

    [GeneratedRegex(@"^[0-9]{3}(\s.*)?$")]
    private static partial Regex SourcePattern();

    public static Playbook Read(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new PlaybookException("The playbook is empty.");
        PlaybookDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PlaybookDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } path ? $" at {path}" : "";
            var line = ex.LineNumber is { } n ? $" (line {n + 1})" : "";
            throw new PlaybookException($"The playbook cannot be read{where}{line}: {FirstSentence(ex.Message)}");
        }
        if (document is null) throw new PlaybookException("The playbook is empty (JSON null).");
        return Build(document);
    }

    /// <summary>System.Text.Json speaks of .NET types; a coach needs to hear which field is wrong and why.</summary>
    private static string FirstSentence(string message)
    {
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
            return $"unknown field '{unmapped.Groups[1].Value}' (check its spelling)";
        if (message.Contains("could not be converted to", StringComparison.Ordinal))
            return "a value of the wrong kind (text goes in quotes, true/false and numbers do not, lists in [ ])";
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] + "." : message;
    }

    [GeneratedRegex("property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    private static Playbook Build(PlaybookDocument document)
    {
        var version = Required(document.Version, "the playbook", "version");
        var businessHours = ReadBusinessHours(document.BusinessHours);
        var quietHours = document.DefaultQuietHours is null ? QuietHours.Default
            : QuietHours.TryParse(document.DefaultQuietHours, out var q) ? q
            : throw Fail("the playbook", "defaultQuietHours", $"'{document.DefaultQuietHours}' is not a range like \"21:00-08:00\"");
        var snooze = document.Snooze is null ? TimeSpan.FromDays(1) : Duration(document.Snooze, "the playbook", "snooze").ToTimeSpan();
        if (snooze <= TimeSpan.Zero) throw Fail("the playbook", "snooze", "must be longer than zero");
        var spacing = document.Spacing is null ? TimeSpan.FromHours(2) : Duration(document.Spacing, "the playbook", "spacing").ToTimeSpan();
        if (spacing < TimeSpan.Zero || spacing > TimeSpan.FromHours(12))
            throw Fail("the playbook", "spacing", "must be between \"PT0S\" (no spacing) and \"PT12H\"");
        var dayParts = ReadDayParts(document.DayParts);
        var excerpt = document.NotesExcerptMaxLength ?? 280;
        if (excerpt is < 20 or > 1000) throw Fail("the playbook", "notesExcerptMaxLength", "must be between 20 and 1000 characters");

        if (document.Steps is null || document.Steps.Count == 0) throw Fail("the playbook", "steps", "is missing or empty");
        var steps = new List<PlaybookStep>();
        for (var i = 0; i < document.Steps.Count; i++)
        {
            var step = ReadStep(document.Steps[i], i, excerpt);
            if (steps.Any(s => s.Kind == step.Kind))
                throw new PlaybookException($"Playbook step '{step.Kind.Name()}' appears twice (the second is step #{i + 1}); each kind has exactly one step.");
            steps.Add(step);
        }
        var missing = Enum.GetValues<NudgeKind>().Where(k => steps.All(s => s.Kind != k)).Select(k => k.Name()).ToList();
        if (missing.Count > 0)
            throw new PlaybookException($"The playbook has no step for {string.Join(", ", missing.Select(m => $"'{m}'"))}; every nudge kind needs one.");
        CheckAnchorsDoNotLoop(steps);

        var questions = ReadQuestions(document.Questions);
        var closeAfterNoReply = document.CloseAfterNoReply is null ? new PlaybookDuration(21, TimeSpan.Zero)
            : Duration(document.CloseAfterNoReply, "the playbook", "closeAfterNoReply");
        if (closeAfterNoReply.Days < 1 || closeAfterNoReply.Time != TimeSpan.Zero)
            throw Fail("the playbook", "closeAfterNoReply", "must be whole days, at least \"P1D\" (e.g. \"P3W\")");
        var outcomeNotes = ReadOutcomeNotes(document.OutcomeNotes);
        var rules = steps.Select(s => s.Rule).Concat(questions.Select(q => q.Rule)).ToHashSet();
        var uncovered = Enumerable.Range(1, 8).Select(n => $"R{n}").Where(r => !rules.Contains(r)).ToList();
        if (uncovered.Count > 0)
            throw new PlaybookException($"The playbook encodes no step or question for rule {string.Join(", ", uncovered)} of docs/advice.md.");

        return new Playbook(version, steps)
        {
            BusinessHours = businessHours,
            DefaultQuietHours = quietHours,
            SnoozeFor = snooze,
            NotesExcerptMaxLength = excerpt,
            Questions = questions,
            Spacing = spacing,
            DayParts = dayParts,
            CloseAfterNoReply = closeAfterNoReply,
            OutcomeNotes = outcomeNotes,
        };
    }

    private static Dictionary<Outcome, PlaybookNote> ReadOutcomeNotes(Dictionary<string, QuestionDocument>? documents)
    {
        var notes = new Dictionary<Outcome, PlaybookNote>();
        foreach (var (name, document) in documents ?? [])
        {
            var where = $"outcome note '{name}'";
            if (!PlaybookNames.Outcomes.TryGetValue(name, out var outcome))
                throw Fail("the playbook", "outcomeNotes", $"'{name}' is not an outcome (known: {string.Join(", ", PlaybookNames.Outcomes.Keys)})");
            if (document.Hint is not null) throw Fail(where, "hint", "outcome notes have no hint");
            var text = Required(Join(document.Text, where, "text"), where, "text");
            var names = MessageTemplate.NamesIn(text, out var error);
            if (error is not null) throw Fail(where, "text", $"has {error}");
            if (names.FirstOrDefault(n => n is not (MessageTemplate.Company or MessageTemplate.Role)) is { } other)
                throw Fail(where, "text", $"uses {{{other}}}; an outcome note knows only {{company}} and {{role}}");
            if (text.Length > 600) throw Fail(where, "text", $"is {text.Length} characters; keep a note under 600");
            notes[outcome] = new PlaybookNote(Rule(document.Rule, where), Sources(document.Sources, where), text);
        }
        return notes;
    }

    private static BusinessHours ReadBusinessHours(BusinessHoursDocument? document)
    {
        if (document is null) return BusinessHours.Default;
        const string where = "businessHours";
        if (document.Days is null || document.Days.Count == 0) throw Fail("the playbook", $"{where}.days", "is missing or empty");
        var days = new HashSet<DayOfWeek>();
        foreach (var day in document.Days)
            days.Add(PlaybookNames.Days.TryGetValue(day ?? "", out var d) ? d
                : throw Fail("the playbook", $"{where}.days", $"'{day}' is not a weekday name such as \"monday\""));
        var start = Time(Required(document.Start, "the playbook", $"{where}.start"), "the playbook", $"{where}.start");
        var end = Time(Required(document.End, "the playbook", $"{where}.end"), "the playbook", $"{where}.end");
        if (end <= start) throw Fail("the playbook", $"{where}.end", "must be later than start on the same day");
        var margin = document.ClosingMargin is null ? TimeSpan.FromHours(1)
            : Duration(document.ClosingMargin, "the playbook", $"{where}.closingMargin").ToTimeSpan();
        if (margin < TimeSpan.Zero || margin >= end - start)
            throw Fail("the playbook", $"{where}.closingMargin", $"must leave some business hours: at least \"PT0S\" and shorter than {start:HH\\:mm}-{end:HH\\:mm}");
        return new BusinessHours(days, start, end) { ClosingMargin = margin };
    }

    private static DayParts ReadDayParts(DayPartsDocument? document)
    {
        if (document is null) return DayParts.Default;
        const string where = "dayParts";
        var afternoon = Time(Required(document.Afternoon, "the playbook", $"{where}.afternoon"), "the playbook", $"{where}.afternoon");
        var evening = Time(Required(document.Evening, "the playbook", $"{where}.evening"), "the playbook", $"{where}.evening");
        if (evening <= afternoon) throw Fail("the playbook", $"{where}.evening", "must be later than afternoon");
        return new DayParts(afternoon, evening);
    }

    private static List<PlaybookQuestion> ReadQuestions(Dictionary<string, QuestionDocument>? documents)
    {
        if (documents is null || !documents.ContainsKey(PlaybookQuestion.DecisionDate))
            throw Fail("the playbook", "questions", $"needs a '{PlaybookQuestion.DecisionDate}' question (R8: ask when they will decide)");
        var questions = new List<PlaybookQuestion>();
        foreach (var (id, document) in documents)
        {
            var where = $"question '{id}'";
            var rule = Rule(document.Rule, where);
            var sources = Sources(document.Sources, where);
            var text = Required(Join(document.Text), where, "text");
            if (text.Length > 400) throw Fail(where, "text", $"is {text.Length} characters; keep a question under 400");
            var hint = Join(document.Hint);
            if (hint is { Length: > 100 }) throw Fail(where, "hint", $"is {hint.Length} characters; form hints hold at most 100");
            questions.Add(new PlaybookQuestion(id, rule, sources, text, hint));
        }
        return questions;
    }

    private static PlaybookStep ReadStep(StepDocument document, int index, int excerptLength)
    {
        var kindName = document.Kind;
        if (string.IsNullOrWhiteSpace(kindName)) throw Fail($"playbook step #{index + 1}", "kind", "is missing");
        if (!NudgeKinds.TryParse(kindName, out var kind))
            throw Fail($"playbook step #{index + 1}", "kind",
                $"'{kindName}' is not a nudge kind (known: {string.Join(", ", NudgeKinds.AllNames)})");
        var where = $"Playbook step '{kindName}'";

        var rule = Rule(document.Rule, where);
        var sources = Sources(document.Sources, where);
        var scope = document.OnePer is null ? StepScope.Interview
            : PlaybookNames.Scopes.TryGetValue(document.OnePer, out var s) ? s
            : throw Fail(where, "onePer", $"'{document.OnePer}' must be \"interview\" or \"interviewer\"");
        if (document.QuietHours is not { } quiet) throw Fail(where, "quietHours", "is missing (true or false)");
        var when = Conditions(document.When, where, "when");

        if (document.Timing is null || document.Timing.Count == 0) throw Fail(where, "timing", "is missing or empty");
        var timing = document.Timing.Select((t, i) => ReadTiming(t, where, $"timing[{i}]")).ToList();
        var notBefore = (document.NotBefore ?? []).Select((b, i) => ReadBound(b, where, $"notBefore[{i}]")).ToList();
        var window = (document.WindowOpens ?? []).Select((b, i) => ReadBound(b, where, $"windowOpens[{i}]")).ToList();
        var onlyBefore = (document.OnlyBefore ?? []).Select((b, i) => ReadBound(b, where, $"onlyBefore[{i}]")).ToList();
        var repeat = document.Repeat is null ? null : ReadRepeat(document.Repeat, where);

        var maxLateness = Duration(Required(document.MaxLateness, where, "maxLateness"), where, "maxLateness").ToTimeSpan();
        var phrases = ReadPhrases(document.Phrases, where, scope);
        var text = Template(document.Text, where, "text", scope, excerptLength, phrases);
        var lateText = Template(document.LateText, where, "lateText", scope, excerptLength, phrases);
        var buttons = ReadButtons(document.Buttons, where);
        var survives = document.SurvivesOutcome ?? false;
        if (!survives && timing.FirstOrDefault(t => t.Outcomes.Any(o => o.EndsTheRound())) is { } ended)
            throw Fail(where, "survivesOutcome", $"must be true: the step answers '{ended.Outcomes.First(o => o.EndsTheRound()).Name()}', " +
                                                 "which ends the round, so it would be cancelled as moot before it is sent");

        var cancelledBy = new List<Outcome>();
        foreach (var name in document.CancelledBy ?? [])
        {
            if (!PlaybookNames.Outcomes.TryGetValue(name ?? "", out var outcome))
                throw Fail(where, "cancelledBy", $"'{name}' is not an outcome (known: {string.Join(", ", PlaybookNames.Outcomes.Keys)})");
            if (outcome.EndsTheRound())
                throw Fail(where, "cancelledBy", $"'{name}' ends the round, which cancels every step but those with survivesOutcome; " +
                                                 "list only outcomes that keep the process open (waiting, next_round, no_reply)");
            cancelledBy.Add(outcome);
        }

        var summary = Summary(Required(document.Summary, where, "summary"), where, "summary", scope, repeat, later: false);
        var laterSummary = document.LaterSummary is null ? null : Summary(document.LaterSummary, where, "laterSummary", scope, repeat, later: true);

        return new PlaybookStep(kind, rule, sources, maxLateness, quiet, text, lateText)
        {
            Summary = summary,
            LaterSummary = laterSummary,
            SurvivesOutcome = survives,
            CancelledBy = cancelledBy,
            Buttons = buttons,
            OnePer = scope,
            BusinessHoursApply = document.BusinessHours ?? false,
            When = when,
            Timing = timing,
            NotBefore = notBefore,
            WindowOpens = window,
            Repeat = repeat,
            OnlyBefore = onlyBefore,
            Phrases = phrases,
        };
    }

    private static Dictionary<string, IReadOnlyList<PhraseChoice>> ReadPhrases(Dictionary<string, List<PhraseDocument>>? documents,
        string where, StepScope scope)
    {
        var phrases = new Dictionary<string, IReadOnlyList<PhraseChoice>>(StringComparer.Ordinal);
        foreach (var (name, choices) in documents ?? [])
        {
            var field = $"phrases.{name}";
            if (!PhraseName().IsMatch(name)) throw Fail(where, field, "a phrase name is lower-case letters and '_', like \"sent_when\"");
            if (MessageTemplate.Placeholders.Contains(name)) throw Fail(where, field, $"'{name}' is a built-in placeholder; choose another name");
            if (choices is null || choices.Count == 0) throw Fail(where, field, "needs at least one choice");
            var read = new List<PhraseChoice>();
            for (var i = 0; i < choices.Count; i++)
            {
                var at = $"{field}[{i}]";
                var facts = new List<PlanCondition>();
                var moments = new List<Moment>();
                foreach (var condition in choices[i].When ?? [])
                {
                    if (PlaybookNames.Conditions.TryGetValue(condition ?? "", out var fact)) facts.Add(fact);
                    else if (Moments.Names.TryGetValue(condition ?? "", out var moment)) moments.Add(moment);
                    else throw Fail(where, $"{at}.when", $"'{condition}' is neither a condition ({string.Join(", ", PlaybookNames.Conditions.Keys)}) " +
                                                         $"nor a moment ({string.Join(", ", Moments.Names.Keys)})");
                }
                // An empty text is a choice too: it drops an inline phrase without dropping its line.
                var text = choices[i].Text ?? throw Fail(where, $"{at}.text", "is missing (\"\" for nothing)");
                var names = MessageTemplate.NamesIn(text, out var error);
                if (error is not null) throw Fail(where, $"{at}.text", $"has {error}");
                if (scope != StepScope.Interviewer && names.Contains(MessageTemplate.Interviewer))
                    throw Fail(where, $"{at}.text", "uses {interviewer}, which only steps with \"onePer\": \"interviewer\" know; use {interviewers}");
                read.Add(new PhraseChoice(facts, moments, text));
            }
            phrases[name] = read;
        }
        return phrases;
    }

    [GeneratedRegex("^[a-z][a-z_]*$")]
    private static partial Regex PhraseName();

    /// <summary>A step's one-line summary: {interviewer} on steps per interviewer, {sequence} and {sequence_total} in the
    /// later summary of a repeated step, nothing else (a list line has no room for the company's details).</summary>
    private static string Summary(string text, string where, string field, StepScope scope, StepRepeat? repeat, bool later)
    {
        text = text.Trim();
        if (text.Length is 0 or > 80 || text.Contains('\n')) throw Fail(where, field, "must be one line of at most 80 characters");
        if (later && repeat is null) throw Fail(where, field, "is only for steps with a repeat (the second and later nudges of the series)");
        var names = MessageTemplate.NamesIn(text, out var error);
        if (error is not null) throw Fail(where, field, $"has {error}");
        foreach (var name in names)
        {
            var allowed = name == MessageTemplate.Interviewer ? scope == StepScope.Interviewer
                : name is MessageTemplate.Sequence or MessageTemplate.SequenceTotal && later;
            if (!allowed)
                throw Fail(where, field, $"uses {{{name}}}; a summary knows only {{interviewer}} (steps per interviewer) and, in laterSummary, " +
                                         "{sequence} and {sequence_total}");
        }
        return text;
    }

    private static IReadOnlyList<StepButton> ReadButtons(List<string>? names, string where)
    {
        if (names is null) return [StepButton.Done, StepButton.Snooze, StepButton.Skip];
        if (names.Count is 0 or > 10) throw Fail(where, "buttons", "name between 1 and 10 buttons");
        var buttons = new List<StepButton>();
        foreach (var name in names)
        {
            if (!PlaybookNames.Buttons.TryGetValue(name ?? "", out var button))
                throw Fail(where, "buttons", $"'{name}' is not a button (known: {string.Join(", ", PlaybookNames.Buttons.Keys)})");
            if (buttons.Contains(button)) throw Fail(where, "buttons", $"'{name}' appears twice");
            buttons.Add(button);
        }
        return buttons;
    }

    private static StepTiming ReadTiming(TimingDocument document, string where, string field)
    {
        var anchor = Anchor(document.Anchor, where, $"{field}.anchor");
        var when = Conditions(document.When, where, $"{field}.when");
        if (document.Delay is not null && document.BusinessDays is not null)
            throw Fail(where, field, "give either delay or businessDays, not both");
        var delay = document.Delay is null ? PlaybookDuration.Zero : Duration(document.Delay, where, $"{field}.delay", allowNegative: true);
        if (delay.IsNegative && anchor is not (PlanAnchor.NextRound or PlanAnchor.OfferDeadline or PlanAnchor.DecisionDate))
            throw Fail(where, $"{field}.delay", $"'{document.Delay}' counts back, which only a future date can be counted from (next_round, offer_deadline, decision_date)");
        if (document.BusinessDays is < 0 or > 60) throw Fail(where, $"{field}.businessDays", "must be between 0 and 60");
        var at = document.At is null ? (TimeOnly?)null : Time(document.At, where, $"{field}.at");
        if (at is not null && delay.Time != TimeSpan.Zero)
            throw Fail(where, $"{field}.delay", $"'{document.Delay}' has hours or minutes, but 'at' sets the time of day; use whole days (e.g. \"P1D\")");
        if (document.BusinessDays is not null && at is null)
            throw Fail(where, $"{field}.at", "is needed with businessDays (the local time on that day)");
        if (anchor == PlanAnchor.DecisionDate && !when.Contains(PlanCondition.DecisionDateGiven))
            throw Fail(where, $"{field}.when", "a timing anchored on decision_date needs the condition \"decision_date_given\"");

        var outcomes = new List<Outcome>();
        foreach (var name in document.Outcomes ?? [])
            outcomes.Add(PlaybookNames.Outcomes.TryGetValue(name ?? "", out var o) ? o
                : throw Fail(where, $"{field}.outcomes", $"'{name}' is not an outcome (known: {string.Join(", ", PlaybookNames.Outcomes.Keys)})"));
        if (anchor.CountsFromOutcome() && outcomes.Count == 0)
            throw Fail(where, $"{field}.outcomes", $"a timing anchored on {anchor.Name()} must list the outcomes it answers");
        if (!anchor.CountsFromOutcome() && outcomes.Count > 0)
            throw Fail(where, $"{field}.outcomes", "only timings anchored on an outcome (outcome_recorded, next_round, offer_deadline, close_after_no_reply) list outcomes");
        return new StepTiming(anchor, when, delay, document.BusinessDays, at, outcomes);
    }

    private static TimeBound ReadBound(BoundDocument document, string where, string field)
    {
        var anchor = Anchor(document.Anchor, where, $"{field}.anchor");
        if (anchor.CountsFromOutcome()) throw Fail(where, $"{field}.anchor", $"{anchor.Name()} cannot bound a step");
        var delay = document.Delay is null ? PlaybookDuration.Zero : Duration(document.Delay, where, $"{field}.delay");
        var at = document.At is null ? (TimeOnly?)null : Time(document.At, where, $"{field}.at");
        if (at is not null && delay.Time != TimeSpan.Zero)
            throw Fail(where, $"{field}.delay", "use whole days together with 'at'");
        return new TimeBound(anchor, delay, at);
    }

    private static StepRepeat ReadRepeat(RepeatDocument document, string where)
    {
        var when = Conditions(document.When, where, "repeat.when");
        var every = Duration(Required(document.Every, where, "repeat.every"), where, "repeat.every");
        if (every.Days < 1 || every.Time != TimeSpan.Zero) throw Fail(where, "repeat.every", "must be whole days, at least \"P1D\"");
        if (document.Total is not (>= 1 and <= 10)) throw Fail(where, "repeat.total", "must be between 1 and 10");
        return new StepRepeat(when, every, document.Total.Value);
    }

    private static string Template(JsonElement? element, string where, string field, StepScope scope, int excerptLength,
        IReadOnlyDictionary<string, IReadOnlyList<PhraseChoice>> phrases)
    {
        var text = Required(Join(element, where, field), where, field);
        var names = MessageTemplate.NamesIn(text, phrases.Keys.ToList(), out var error);
        if (error is not null) throw Fail(where, field, $"has {error}");
        if (scope != StepScope.Interviewer && names.Contains(MessageTemplate.Interviewer))
            throw Fail(where, field, "uses {interviewer}, which only steps with \"onePer\": \"interviewer\" know; use {interviewers}");
        var generous = new Dictionary<string, string?>
        {
            [MessageTemplate.Company] = LongName,
            [MessageTemplate.Role] = LongName,
            [MessageTemplate.Interviewer] = LongName,
            [MessageTemplate.Interviewers] = LongList,
            [MessageTemplate.References] = LongList,
            [MessageTemplate.DecisionDate] = "Wednesday 30 September 2026",
            [MessageTemplate.NotesExcerpt] = new string('W', excerptLength),
            [MessageTemplate.Sequence] = "10",
            [MessageTemplate.SequenceTotal] = "10",
            [MessageTemplate.TheRole] = $"the {LongName} role",
            [MessageTemplate.NextBusinessDay] = "Wednesday",
            [MessageTemplate.NextRound] = "10",
            [MessageTemplate.NextRoundAt] = "Wednesday 30 September at 10:00",
            [MessageTemplate.OfferDeadline] = "Wednesday 30 September 2026",
            [MessageTemplate.OtherCompanies] = string.Join(", ", Enumerable.Repeat(LongName, Planning.NudgeComposer.MaxCompanies)) + " and 99 more",
            [MessageTemplate.ProcessNotes] = new string('W', excerptLength),
        };
        // Every situation the phrases tell apart (first or later check-in, evening or morning, ...), each phrase worded
        // as it would be then: the longest of those must fit.
        var length = 0;
        foreach (var (facts, moments) in Situations(phrases))
        {
            var values = new Dictionary<string, string?>(generous);
            foreach (var (name, choices) in phrases)
                values[name] = choices.FirstOrDefault(c => c.When.All(facts.Contains) && c.At.All(moments.Contains)) is { } choice
                    ? MessageTemplate.Render(choice.Text, generous)
                    : null;
            length = Math.Max(length, MessageTemplate.Render(text, values).Length);
        }
        if (length > Message.MaxTextLength)
            throw Fail(where, field, $"is too long: with long names it comes to {length} characters, over the {Message.MaxTextLength} a message may carry");
        return text;
    }

    /// <summary>Facts and moments that exclude each other; one of each group holds in any situation.</summary>
    private static readonly PlanCondition[][] FactGroups =
    [
        [PlanCondition.FormatPhone, PlanCondition.FormatVideo, PlanCondition.FormatOnsite],
        [PlanCondition.DecisionDateGiven, PlanCondition.NoDecisionDate],
        [PlanCondition.ReferencesNamed, PlanCondition.NoReferences],
        [PlanCondition.FollowUpInvited, PlanCondition.FollowUpNotInvited],
    ];

    private static readonly Moment[][] MomentGroups =
    [
        [Moment.Morning, Moment.Afternoon, Moment.Evening],
        [Moment.InterviewDay, Moment.DayAfterInterview, Moment.DaysAfterInterview],
        [Moment.FirstInSeries, Moment.LaterInSeries],
        [Moment.ThanksPrompted, Moment.ThanksNotPrompted],
    ];

    /// <summary>
    /// The situations a step's phrases can tell apart: every combination of the groups they mention (a fact or moment
    /// outside the groups holds or not). A handful per step, so the length check can try each.
    /// </summary>
    private static IEnumerable<(HashSet<PlanCondition> Facts, HashSet<Moment> Moments)> Situations(
        IReadOnlyDictionary<string, IReadOnlyList<PhraseChoice>> phrases)
    {
        var facts = phrases.Values.SelectMany(c => c).SelectMany(c => c.When).ToHashSet();
        var moments = phrases.Values.SelectMany(c => c).SelectMany(c => c.At).ToHashSet();
        var factOptions = FactGroups.Where(g => g.Any(facts.Contains)).Select(g => g.Select(f => new[] { f }).ToArray())
            .Concat(facts.Where(f => !FactGroups.Any(g => g.Contains(f))).Select(f => new[] { new[] { f }, Array.Empty<PlanCondition>() }));
        var momentOptions = MomentGroups.Where(g => g.Any(moments.Contains)).Select(g => g.Select(m => new[] { m }).ToArray())
            .Concat(moments.Where(m => !MomentGroups.Any(g => g.Contains(m))).Select(m => new[] { new[] { m }, Array.Empty<Moment>() }));
        foreach (var factChoice in Product(factOptions.ToList()))
            foreach (var momentChoice in Product(momentOptions.ToList()))
                yield return (factChoice.ToHashSet(), momentChoice.ToHashSet());
    }

    private static IEnumerable<List<T>> Product<T>(IReadOnlyList<T[][]> options)
    {
        IEnumerable<List<T>> all = [[]];
        foreach (var group in options)
            all = all.SelectMany(picked => group.Select(option => picked.Concat(option).ToList())).ToList();
        return all;
    }

    private static void CheckAnchorsDoNotLoop(IReadOnlyList<PlaybookStep> steps)
    {
        static NudgeKind? StepOf(PlanAnchor anchor) => anchor switch
        {
            PlanAnchor.ThankYou => NudgeKind.ThankYou,
            PlanAnchor.FirstFollowUp => NudgeKind.FollowUp,
            _ => null,
        };
        IEnumerable<NudgeKind> DependsOn(NudgeKind kind)
        {
            var step = steps.First(s => s.Kind == kind);
            return step.Timing.Select(t => t.Anchor).Concat(step.NotBefore.Select(b => b.Anchor))
                .Select(StepOf).OfType<NudgeKind>().Distinct();
        }
        foreach (var start in steps.Select(s => s.Kind))
        {
            var seen = new HashSet<NudgeKind>();
            var queue = new Queue<NudgeKind>(DependsOn(start));
            while (queue.TryDequeue(out var next))
            {
                if (next == start)
                    throw new PlaybookException($"Playbook step '{start.Name()}': its timing depends on itself through its anchors (thank_you / first_follow_up).");
                if (seen.Add(next)) foreach (var d in DependsOn(next)) queue.Enqueue(d);
            }
        }
    }

    private static string Rule(string? rule, string where)
    {
        var value = Required(rule, where, "rule");
        return RulePattern().IsMatch(value) ? value : throw Fail(where, "rule", $"'{value}' should name a docs/advice.md rule such as \"R2\"");
    }

    private static IReadOnlyList<string> Sources(List<string>? sources, string where)
    {
        if (sources is null || sources.Count == 0) throw Fail(where, "sources", "is missing; cite the seed articles, e.g. [\"003\", \"000 §2\"]");
        foreach (var source in sources)
            if (source is null || !SourcePattern().IsMatch(source))
                throw Fail(where, "sources", $"'{source}' should start with a seed number such as \"003\" or \"000 §2\"");
        return sources;
    }

    private static IReadOnlyList<PlanCondition> Conditions(List<string>? names, string where, string field)
    {
        var conditions = new List<PlanCondition>();
        foreach (var name in names ?? [])
            conditions.Add(PlaybookNames.Conditions.TryGetValue(name ?? "", out var c) ? c
                : throw Fail(where, field, $"'{name}' is not a condition (known: {string.Join(", ", PlaybookNames.Conditions.Keys)})"));
        return conditions;
    }

    private static PlanAnchor Anchor(string? name, string where, string field)
    {
        var value = Required(name, where, field);
        return PlaybookNames.Anchors.TryGetValue(value, out var anchor) ? anchor
            : throw Fail(where, field, $"'{value}' is not an anchor (known: {string.Join(", ", PlaybookNames.Anchors.Keys)})");
    }

    private static PlaybookDuration Duration(string text, string where, string field, bool allowNegative = false) =>
        !Iso8601Duration.TryParse(text, out var duration)
            ? throw Fail(where, field, $"'{text}' is not an ISO-8601 duration such as \"P2D\", \"PT1H\" or \"P1W\"")
            : duration.IsNegative && !allowNegative ? throw Fail(where, field, $"'{text}' is negative; only a timing's delay may count back")
            : duration;

    private static TimeOnly Time(string text, string where, string field) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time
            : throw Fail(where, field, $"'{text}' is not a local time such as \"09:00\"");

    private static string Required(string? value, string where, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Fail(where, field, "is missing") : value;

    private static string? Join(JsonElement? element, string where = "", string field = "") => element switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Array } e => string.Join("\n", e.EnumerateArray().Select(line =>
            line.ValueKind == JsonValueKind.String ? line.GetString() : throw Fail(where, field, "lines must be strings"))),
        _ => throw Fail(where, field, "must be a string or an array of lines"),
    };

    private static PlaybookException Fail(string where, string field, string problem)
    {
        where = where.Length > 0 ? char.ToUpperInvariant(where[0]) + where[1..] : where;
        return new PlaybookException($"{where}, field '{field}': {problem}.");
    }

    private sealed class PlaybookDocument
    {
        public string? Comment { get; set; }
        public string? Version { get; set; }
        public BusinessHoursDocument? BusinessHours { get; set; }
        public string? DefaultQuietHours { get; set; }
        public string? Snooze { get; set; }
        public int? NotesExcerptMaxLength { get; set; }
        public string? Spacing { get; set; }
        public DayPartsDocument? DayParts { get; set; }
        public Dictionary<string, QuestionDocument>? Questions { get; set; }
        public string? CloseAfterNoReply { get; set; }
        public Dictionary<string, QuestionDocument>? OutcomeNotes { get; set; }
        public List<StepDocument>? Steps { get; set; }
    }

    private sealed class BusinessHoursDocument
    {
        public string? Comment { get; set; }
        public List<string>? Days { get; set; }
        public string? Start { get; set; }
        public string? End { get; set; }
        public string? ClosingMargin { get; set; }
    }

    private sealed class DayPartsDocument
    {
        public string? Comment { get; set; }
        public string? Afternoon { get; set; }
        public string? Evening { get; set; }
    }

    private sealed class PhraseDocument
    {
        public string? Comment { get; set; }
        public List<string>? When { get; set; }
        public string? Text { get; set; }
    }

    private sealed class QuestionDocument
    {
        public string? Comment { get; set; }
        public string? Rule { get; set; }
        public List<string>? Sources { get; set; }
        public JsonElement? Text { get; set; }
        public JsonElement? Hint { get; set; }
    }

    private sealed class StepDocument
    {
        public string? Comment { get; set; }
        public string? Kind { get; set; }
        public string? Rule { get; set; }
        public List<string>? Sources { get; set; }
        public string? OnePer { get; set; }
        public bool? QuietHours { get; set; }
        public bool? BusinessHours { get; set; }
        public List<string>? When { get; set; }
        public List<TimingDocument>? Timing { get; set; }
        public List<BoundDocument>? NotBefore { get; set; }
        public List<BoundDocument>? WindowOpens { get; set; }
        public List<BoundDocument>? OnlyBefore { get; set; }
        public Dictionary<string, List<PhraseDocument>>? Phrases { get; set; }
        public RepeatDocument? Repeat { get; set; }
        public bool? SurvivesOutcome { get; set; }
        public List<string>? CancelledBy { get; set; }
        public List<string>? Buttons { get; set; }
        public string? Summary { get; set; }
        public string? LaterSummary { get; set; }
        public string? MaxLateness { get; set; }
        public JsonElement? Text { get; set; }
        public JsonElement? LateText { get; set; }
    }

    private sealed class TimingDocument
    {
        public string? Comment { get; set; }
        public string? Anchor { get; set; }
        public List<string>? When { get; set; }
        public List<string>? Outcomes { get; set; }
        public string? Delay { get; set; }
        public int? BusinessDays { get; set; }
        public string? At { get; set; }
    }

    private sealed class BoundDocument
    {
        public string? Comment { get; set; }
        public string? Anchor { get; set; }
        public string? Delay { get; set; }
        public string? At { get; set; }
    }

    private sealed class RepeatDocument
    {
        public string? Comment { get; set; }
        public List<string>? When { get; set; }
        public string? Every { get; set; }
        public int? Total { get; set; }
    }
}
