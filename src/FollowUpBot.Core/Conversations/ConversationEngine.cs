using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Dashboard;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// Platform-neutral conversation: finds or creates the member, routes the event to the command, form or button it
/// is for, and answers with actions. Bad input gets a polite, specific answer and changes nothing; an unexpected
/// failure is logged and answered with an apology rather than thrown at the adapter.
/// </summary>
public sealed class ConversationEngine : IConversationEngine
{
    private readonly EnginePorts _ports;
    private readonly TimeProvider _time;
    private readonly string _defaultZone;
    private readonly string _holidayCountry;
    private readonly ILogger _logger;
    private readonly InterviewRecording _recording;
    private readonly InterviewCommands _commands;
    private readonly ButtonRouting _buttons;
    private readonly NotesForm _notes;
    private readonly InterviewDetails _details;
    private readonly SettingsCommand _settings;
    private readonly InterviewEditing _editing;
    private readonly CohortCommands? _cohorts;
    private readonly MemberDataCommands? _memberData;

    public ConversationEngine(
        IMemberRepository members,
        IInterviewRepository interviews,
        INudgeRepository nudges,
        IFormDraftRepository drafts,
        INudgeScheduler scheduler,
        NudgePlanner planner,
        NudgeComposer composer,
        TimeProvider time,
        IOptions<BotOptions> options,
        ILogger<ConversationEngine>? logger = null,
        ICohortRepository? cohorts = null,
        ICohortScheduler? cohortScheduler = null,
        IMemberDataRepository? memberData = null,
        CoachDashboard? dashboard = null)
    {
        _ports = new EnginePorts(members, interviews, nudges, drafts, scheduler, planner, composer);
        _time = time;
        _defaultZone = options.Value.DefaultTimeZone;
        _holidayCountry = options.Value.HolidayCountry;
        _logger = logger ?? NullLogger<ConversationEngine>.Instance;
        var book = new NudgeBook(_ports);
        var replanner = new Replanner(_ports, book);
        var progress = new InterviewProgress(_ports, book, replanner);
        _details = new InterviewDetails(_ports, progress, replanner);
        _recording = new InterviewRecording(_ports, progress, replanner);
        _commands = new InterviewCommands(_ports, progress);
        _editing = new InterviewEditing(replanner, _commands);
        _notes = new NotesForm(_ports, book);
        _buttons = new ButtonRouting(_ports, book, progress, _commands, _notes, _details, _recording, replanner);
        _settings = new SettingsCommand(_ports, replanner, _holidayCountry);
        // Optional so that compositions without cohort storage keep working; they answer that it is unavailable.
        if (cohorts is not null && cohortScheduler is not null && memberData is not null)
        {
            _cohorts = new CohortCommands(cohorts, cohortScheduler, new CohortActivityReader(cohorts, interviews, nudges), dashboard);
            _memberData = new MemberDataCommands(_ports, cohorts, memberData, cohortScheduler, new MemberDataExport(interviews, nudges, cohorts));
        }
    }

    private const string Unavailable = "Cohorts and data export are not set up on this bot. Nothing changed.";

    public async Task<IReadOnlyList<OutboundAction>> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        try
        {
            var now = _time.GetUtcNow();
            var (turn, notice) = await ArriveAsync(inbound.From, now, cancellationToken);
            var actions = new List<OutboundAction>();
            if (notice) actions.Add(new Reply(new Message(UnreachableNotice)));
            actions.AddRange(inbound switch
            {
                SlashCommand command => await CommandAsync(turn, command, cancellationToken),
                FormSubmitted form => await FormAsync(turn, form.FormId, form.Values, cancellationToken),
                ButtonPressed button => await ButtonAsync(turn, button.From, button.ButtonId, cancellationToken),
                _ => [new Reply(new Message("I can't handle that kind of message yet. Type /followup help to see what I can do."))],
            });
            return actions.Select(Wording.Fit).ToList();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (InteractionAlreadyHandledException ex)
        {
            // Another delivery of the same interaction committed first and answers it; this one adds nothing.
            _logger.LogInformation("{Problem}; not run again", ex.Message);
            return [];
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Handling {Event} for {Member} failed", inbound.GetType().Name, inbound.From.Key);
            return [new Reply(new Message("Sorry, something went wrong on my side. Please try again in a moment."))];
        }
    }

    internal const string UnreachableNotice =
        "I tried to send you nudges by direct message but couldn't reach you, so some never arrived. " +
        "To get them, allow direct messages from this bot (in your privacy settings for this server or workspace), " +
        "then check /interview list for anything you missed.";

    /// <summary>Finds or creates the member, keeps their zone current and marks them active.</summary>
    private async Task<(Turn Turn, bool Notice)> ArriveAsync(MemberContext from, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await _ports.Members.FindAsync(from.Key, cancellationToken);
        var hint = ZonedTime.TryFindZone(from.TimeZoneHint, out var hinted) ? hinted.Id : null;
        string zoneId;
        if (existing is { TimeZoneSetByMember: true } && ZonedTime.TryFindZone(existing.TimeZoneId, out _)) zoneId = existing.TimeZoneId;
        else if (hint is not null) zoneId = hint;
        else if (existing is not null && ZonedTime.TryFindZone(existing.TimeZoneId, out _)) zoneId = existing.TimeZoneId;
        else zoneId = _defaultZone;

        var member = existing is null
            ? new Member(0, from.Key, zoneId, QuietHours.Default, TimeZoneSetByMember: false, CreatedAt: now, LastActiveAt: now)
            : existing with { TimeZoneId = zoneId, LastActiveAt = now, UnreachableNoticePending = false };
        member = await _ports.Members.SaveAsync(member, cancellationToken);
        ZonedTime.TryFindZone(member.TimeZoneId, out var zone);
        return (new Turn(member, zone, now, HolidayCalendar.Of(member, _holidayCountry)), existing?.UnreachableNoticePending == true);
    }

    private async Task<IReadOnlyList<OutboundAction>> CommandAsync(Turn turn, SlashCommand command, CancellationToken cancellationToken)
    {
        if (CommandCatalog.Check(command.Name, command.Options.Keys) is { } problem) return [new Reply(new Message(problem))];

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (optionName, value) in command.Options)
        {
            var key = CommandCatalog.NormalizeOptionName(optionName);
            if (!options.TryAdd(key, value ?? ""))
                return [new Reply(new Message($"You gave {key} twice. Give it once, for example: {CommandCatalog.Find(command.Name)!.Example}"))];
        }

        var name = string.Join(' ', command.Name.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return name switch
        {
            CommandCatalog.InterviewDone => await _recording.CommandAsync(turn, options, cancellationToken),
            CommandCatalog.InterviewList => await _commands.ListAsync(turn, cancellationToken),
            CommandCatalog.InterviewShow => await _commands.ShowAsync(turn, options, cancellationToken),
            CommandCatalog.InterviewOutcome => await _commands.OutcomeAsync(turn, options, cancellationToken),
            CommandCatalog.InterviewFollowUp => await _commands.FollowUpAsync(turn, options, cancellationToken),
            CommandCatalog.InterviewForget => await _commands.ForgetAsync(turn, options, cancellationToken),
            CommandCatalog.InterviewEdit => await _editing.EditAsync(turn, options, cancellationToken),
            CommandCatalog.Settings => await _settings.RunAsync(turn, options, cancellationToken),
            CommandCatalog.Help => HelpText.Replies,
            _ when _cohorts is null || _memberData is null => [new Reply(new Message(Unavailable))],
            CommandCatalog.Export => await _memberData.ExportAsync(turn, cancellationToken),
            CommandCatalog.DeleteMyData => await _memberData.DeleteAsync(turn, cancellationToken),
            CommandCatalog.CohortCreate => await _cohorts.CreateAsync(turn, command.From, options, cancellationToken),
            CommandCatalog.CohortJoin => await _cohorts.JoinAsync(turn, command.From, options, cancellationToken),
            CommandCatalog.CohortLevel => await _cohorts.LevelAsync(turn, command.From, options, cancellationToken),
            CommandCatalog.CohortLeave => await _cohorts.LeaveAsync(turn, options, cancellationToken),
            CommandCatalog.CohortStatus => await _cohorts.StatusAsync(turn, command.From, options, cancellationToken),
            CommandCatalog.CohortDigest => await _cohorts.DigestAsync(turn, command.From, options, cancellationToken),
            CommandCatalog.CohortDashboard => await _cohorts.DashboardAsync(turn, command.From, cancellationToken),
            _ => HelpText.Replies,
        };
    }

    private async Task<IReadOnlyList<OutboundAction>> FormAsync(Turn turn, string formId, IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values) normalized[name.Trim().ToLowerInvariant()] = value ?? "";

        if (formId == InterviewForm.Id) return await _recording.SubmitAsync(turn, normalized, cancellationToken);
        if (NotesForm.TryParseId(formId, out var interviewId)) return await _notes.SubmitAsync(turn, interviewId, normalized, cancellationToken);
        if (InterviewDetails.IsFormId(formId)) return await _details.SubmitAsync(turn, formId, normalized, cancellationToken);
        return [new Reply(new Message("That form is no longer open. Start again with the command, for example /interview done."))];
    }

    private async Task<IReadOnlyList<OutboundAction>> ButtonAsync(Turn turn, MemberContext from, string buttonId, CancellationToken cancellationToken)
    {
        var parts = (buttonId ?? "").Split(':');
        if (parts is [CohortCommands.ButtonPrefix, ..])
        {
            if (_cohorts is null) return [new Reply(new Message(Unavailable))];
            if (await _cohorts.PressAsync(turn, from, parts, cancellationToken) is { } answer) return answer;
        }
        if (parts is ["confirm", MemberDataCommands.DeleteConfirmation, var idText, "yes" or "no"]
            && long.TryParse(idText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var memberId))
        {
            if (_memberData is null) return [new Reply(new Message(Unavailable))];
            return await _memberData.ConfirmDeleteAsync(turn, memberId, parts[3] == "yes", cancellationToken);
        }
        return await FormOrNudgeButtonAsync(turn, buttonId ?? "", cancellationToken);
    }

    private Task<IReadOnlyList<OutboundAction>> FormOrNudgeButtonAsync(Turn turn, string buttonId, CancellationToken cancellationToken)
    {
        // A choice made with a button on a form counts as submitting that one field: the draft keeps the rest.
        if (buttonId?.Split(':') is ["form", .. var rest] && rest.Length >= 3)
        {
            var value = rest[^1];
            var field = rest[^2];
            var formId = string.Join(':', rest[..^2]);
            return FormAsync(turn, formId, new Dictionary<string, string> { [field] = value }, cancellationToken);
        }
        return _buttons.PressAsync(turn, buttonId ?? "", cancellationToken);
    }
}
