using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using FollowUpBot.Core;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Planning;

namespace FollowUpBot.Host;

/// <summary>One line of <c>followupbot plan</c>'s output.</summary>
public sealed record PlanEntry(string Kind, string DueAt, string? Interviewer, string Text);

/// <summary>
/// <c>followupbot plan</c>: the whole plan for one interview as JSON on stdout, straight from the planner and the
/// playbook, without a database. Handy to tune bot-config/playbook.json.
/// </summary>
public static class PlanCommand
{
    public const int MaxInterviewers = 10;
    public const int MaxNameLength = 100;

    private static readonly Option<string> InterviewEnd = new("--interview-end")
    {
        Description = "When the interview ended: local time in --time-zone unless it carries an offset, e.g. 2026-12-04T16:30.",
        HelpName = "TIME",
        Required = true,
    };

    private static readonly Option<string> Zone = new("--time-zone")
    {
        Description = "The member's IANA time zone, e.g. America/New_York.",
        HelpName = "ZONE",
        Required = true,
    };

    private static readonly Option<string> Format = new("--format")
    {
        Description = "phone, video or onsite.",
        HelpName = "FORMAT",
        Required = true,
    };

    private static readonly Option<string[]> Interviewers = new("--interviewer")
    {
        Description = $"An interviewer's name; repeat the option for each (1 to {MaxInterviewers}).",
        HelpName = "NAME",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string?> DecisionDate = new("--decision-date")
    {
        Description = "The date the employer said they would decide (yyyy-MM-dd). Default: not said (follow up a week after the thank-you).",
        HelpName = "DATE",
    };

    private static readonly Option<bool> FollowUpInvited = new("--follow-up-invited")
    {
        Description = "The employer expressly invited direct follow-up with the hiring manager (weekly follow-ups, at most five).",
    };

    private static readonly Option<string[]> References = new("--reference")
    {
        Description = "A reference's name; repeat the option for each.",
        HelpName = "NAME",
    };

    private static readonly Option<string?> Holidays = new("--holidays")
    {
        Description = "A country code (US, GB, DE, ...) whose public holidays are not business days for the follow-up; "
                      + "default: Bot:HolidayCountry from the configuration, none when that is empty; \"none\" for none.",
        HelpName = "CC",
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Apostrophes and accents stay readable; the output is JSON on a terminal, never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(HostTerminal terminal)
    {
        var command = new Command("plan", "Print every nudge the bot would plan for one interview, as a JSON array sorted by time "
            + "(the same planner as the bot: quiet hours, business hours and public holidays with --holidays, spacing between nudges).")
        {
            InterviewEnd, Zone, Format, Interviewers, DecisionDate, FollowUpInvited, References, Holidays,
        };
        command.SetAction(BotCommandLine.Guarded(terminal, (parsed, _) =>
        {
            var config = BotConfigFolder.Resolve(parsed.GetValue(BotCommandLine.Config));
            var (facts, zone) = Check(parsed);
            var given = parsed.GetValue(Holidays);
            var holidays = given is not null ? CheckHolidays(given, "--holidays")
                : CheckHolidays(config.BuildConfiguration()[$"{BotOptions.Section}:{nameof(BotOptions.HolidayCountry)}"], "Bot:HolidayCountry");
            var playbook = config.LoadPlaybook();
            var entries = Plan(new NudgePlanner(playbook), new NudgeComposer(playbook), facts, zone, holidays);
            terminal.Out.WriteLine(JsonSerializer.Serialize(entries, Json));
            return Task.FromResult(0);
        }));
        return command;
    }

    public static IReadOnlyList<PlanEntry> Plan(NudgePlanner planner, NudgeComposer composer, InterviewFacts facts, TimeZoneInfo zone,
        HolidayCalendar? holidays = null)
    {
        var context = new PlanningContext(zone, planner.Playbook.DefaultQuietHours, holidays);
        return planner.PlanInterview(facts, context)
            .OrderBy(p => p.DueAt)
            .Select(p => new PlanEntry(
                p.Kind.Name(),
                TimeZoneInfo.ConvertTime(p.DueAt, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                p.Interviewer,
                composer.Describe(p, facts, context)))
            .ToList();
    }

    private static (InterviewFacts Facts, TimeZoneInfo Zone) Check(ParseResult parsed)
    {
        var zoneId = parsed.GetValue(Zone)!;
        if (!ZonedTime.TryFindZone(zoneId, out var zone))
            throw new StartupProblem($"--time-zone: '{zoneId}' is not an IANA time zone; write one like America/New_York or Europe/Berlin.");

        var endText = parsed.GetValue(InterviewEnd)!;
        if (!LocalTimeText.TryParse(endText, zone, out var end))
            throw new StartupProblem($"--interview-end: '{endText}' is not a date and time; write it like {LocalTimeText.Example}.");

        var formatText = parsed.GetValue(Format)!.Trim();
        if (!Enum.TryParse<InterviewFormat>(formatText, ignoreCase: true, out var format) || !Enum.IsDefined(format)
            || int.TryParse(formatText, out _))
            throw new StartupProblem($"--format: '{formatText}' is not a format; use phone, video or onsite.");

        var interviewers = Names(parsed.GetValue(Interviewers), "--interviewer");
        if (interviewers.Count == 0)
            throw new StartupProblem("--interviewer: name at least one interviewer, e.g. --interviewer \"Ana Ruiz\".");
        if (interviewers.Count > MaxInterviewers)
            throw new StartupProblem($"--interviewer: at most {MaxInterviewers} interviewers, you gave {interviewers.Count}.");

        DateOnly? decision = null;
        if (parsed.GetValue(DecisionDate) is { } decisionText)
        {
            if (!DateOnly.TryParseExact(decisionText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new StartupProblem($"--decision-date: '{decisionText}' is not a date; write it like 2026-12-08.");
            var interviewDay = DateOnly.FromDateTime(end.DateTime);
            if (date < interviewDay)
                throw new StartupProblem($"--decision-date: {date:yyyy-MM-dd} is before the interview ({interviewDay:yyyy-MM-dd}).");
            decision = date;
        }

        var references = Names(parsed.GetValue(References), "--reference");
        var facts = new InterviewFacts(end, format, interviewers, decision, parsed.GetValue(FollowUpInvited), references);
        return (facts, zone);
    }

    private static HolidayCalendar CheckHolidays(string? code, string source) =>
        HolidayCalendar.TryFor(code, out var calendar) ? calendar
            : throw new StartupProblem($"{source}: '{code?.Trim()}' is not a country whose holidays I know; use one of " +
                                       $"{string.Join(", ", HolidayCalendar.SupportedCountries)}, or none.");

    private static List<string> Names(string[]? given, string option)
    {
        var names = (given ?? []).Select(n => n.Trim()).ToList();
        if (names.Any(n => n.Length == 0))
            throw new StartupProblem($"{option}: a name cannot be empty.");
        if (names.FirstOrDefault(n => n.Length > MaxNameLength) is { } tooLong)
            throw new StartupProblem($"{option}: names are at most {MaxNameLength} characters; '{tooLong[..20]}...' has {tooLong.Length}.");
        return names;
    }
}
