using FollowUpBot.Core.Conversations;
namespace FollowUpBot.Core.Input;

/// <summary>One command the engine understands, with the option names it accepts.</summary>
public sealed record CommandSpec(string Name, string Summary, IReadOnlyList<string> Options, string Example)
{
    /// <summary>The top-level command ("interview" of "interview done").</summary>
    public string Group => Name.Split(' ')[0];

    /// <summary>The sub-command ("done" of "interview done").</summary>
    public string SubCommand => Name.Split(' ')[1];
}

/// <summary>
/// Every command and its options: the one list the text parser, the engine's own check of platform-parsed
/// commands and the help text all read, so they cannot disagree.
/// </summary>
public static class CommandCatalog
{
    public const string InterviewDone = "interview done";
    public const string InterviewList = "interview list";
    public const string InterviewShow = "interview show";
    public const string InterviewOutcome = "interview outcome";
    public const string InterviewFollowUp = "interview followup";
    public const string InterviewForget = "interview forget";
    public const string InterviewEdit = "interview edit";
    public const string Settings = "followup settings";
    public const string Help = "followup help";
    public const string Export = "followup export";
    public const string DeleteMyData = "followup delete-my-data";
    public const string CohortCreate = "cohort create";
    public const string CohortJoin = "cohort join";
    public const string CohortLeave = "cohort leave";
    public const string CohortLevel = "cohort level";
    public const string CohortStatus = "cohort status";
    public const string CohortDigest = "cohort digest";
    public const string CohortDashboard = "cohort dashboard";

    /// <summary>Commands only coaches may use (platforms may hide them from others; the engine checks anyway).</summary>
    public static IReadOnlyList<string> CoachOnly { get; } = [CohortCreate, CohortStatus, CohortDigest, CohortDashboard];

    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        new(InterviewDone, "record an interview you just had; I ask for anything you leave out",
            ["company", "role", "interviewers", "format", "decision-date", "follow-up-invited", "references", "ended", "notes"],
            "/interview done company:\"Acme\" interviewers:\"Ana Ruiz, Ben Ode\" format:onsite decision-date:friday"),
        new(InterviewList, "your open applications: stage, next nudge, anything undelivered",
            [], "/interview list"),
        new(InterviewShow, "every nudge still to come for one application", ["id"], "/interview show id:2"),
        new(InterviewOutcome, "record what happened: offer, next-round, rejected, waiting (they replied), no-reply, withdrawn, accepted, closed",
            ["id", "result", "next-round", "deadline"], "/interview outcome id:2 result:next-round next-round:2026-12-15T10:00"),
        new(InterviewFollowUp, "log that you followed up with the employer",
            ["id"], "/interview followup id:2"),
        new(InterviewForget, "delete an interview and all its nudges",
            ["id"], "/interview forget id:2"),
        new(InterviewEdit, "change what you recorded (any /interview done option); I re-plan and say what moved",
            ["id", "company", "role", "interviewers", "format", "decision-date", "follow-up-invited", "references", "ended", "notes"],
            "/interview edit id:2 decision-date:2026-12-10"),
        new(Settings, "show or change your time zone, quiet hours and holidays (country code or none)",
            ["time-zone", "quiet-hours", "holidays"], "/followup settings time-zone:Europe/Berlin quiet-hours:21:00-08:00"),
        new(Help, "this list", [], "/followup help"),
        new(Export, "all I store about you, as a file", [], "/followup export"),
        new(DeleteMyData, "delete all I store about you (asks first)", [], "/followup delete-my-data"),
        new(CohortJoin, "join a coach's cohort; you choose what coaches see", ["code"], "/cohort join code:K7MQ4T"),
        new(CohortLevel, "change what a cohort's coaches see: status, companies or full", ["cohort", "level"], "/cohort level level:companies"),
        new(CohortLeave, "leave a cohort", ["cohort"], "/cohort leave"),
        new(CohortCreate, "(coaches) a cohort followed from a channel", ["name", "channel", "time-zone", "schedule"],
            "/cohort create name:\"Fall 2026\" channel:#career-room"),
        new(CohortStatus, "(coaches) where each member stands", ["cohort"], "/cohort status"),
        new(CohortDigest, "(coaches) when the digest is posted", ["cohort", "schedule", "time-zone"],
            "/cohort digest schedule:\"monday 09:00\""),
        new(CohortDashboard, "(coaches) a one-time link to the web view", [], "/cohort dashboard"),
    ];

    public static IReadOnlyList<string> Groups { get; } = All.Select(c => c.Group).Distinct().ToList();

    public static CommandSpec? Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<CommandSpec> InGroup(string group) =>
        All.Where(c => string.Equals(c.Group, group, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Option names are case-insensitive and "_" may stand for "-" (decision_date).</summary>
    public static string NormalizeOptionName(string name) => name.Trim().ToLowerInvariant().Replace('_', '-');

    /// <summary>Checks a command's name and option names; returns a polite answer naming the problem, or null.</summary>
    public static string? Check(string name, IEnumerable<string> optionNames)
    {
        var words = name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || InGroup(words[0]).Count == 0)
            return UnknownCommand(words.Length == 0 ? "" : words[0]);
        if (words.Length == 1) return MissingSubCommand(words[0]);
        var spec = Find($"{words[0]} {words[1]}");
        if (spec is null || words.Length > 2) return UnknownSubCommand(words[0], string.Join(' ', words.Skip(1)));

        foreach (var option in optionNames)
        {
            if (!spec.Options.Contains(NormalizeOptionName(option)))
                return UnknownOption(spec, option);
        }
        return null;
    }

    internal static string UnknownCommand(string command) =>
        $"I don't know the command /{Wording.Cut(command.TrimStart('/'))}. I understand {string.Join(" and ", Groups.Select(g => "/" + g))}; " +
        "type /followup help for the full list with examples.";

    internal static string MissingSubCommand(string group)
    {
        var subs = InGroup(group);
        return $"/{group.ToLowerInvariant()} needs one of: {string.Join(", ", subs.Select(s => s.SubCommand))}. " +
               $"For example: {subs[0].Example}";
    }

    internal static string UnknownSubCommand(string group, string sub)
    {
        var subs = InGroup(group);
        return $"/{group.ToLowerInvariant()} has no sub-command {Wording.Quote(sub)}. It has: {string.Join(", ", subs.Select(s => s.SubCommand))}. " +
               $"For example: {subs[0].Example}";
    }

    internal static string UnknownOption(CommandSpec spec, string option) =>
        spec.Options.Count == 0
            ? $"/{spec.Name} takes no options, so I can't use {Wording.Quote(option)}. Just type: {spec.Example}"
            : $"/{spec.Name} has no option {Wording.Quote(option)}. Its options are: {string.Join(", ", spec.Options)}. " +
              $"For example: {spec.Example}";
}
