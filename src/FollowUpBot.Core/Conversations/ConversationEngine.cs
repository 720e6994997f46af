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
public sealed partial class ConversationEngine : IConversationEngine
{
    /// <summary>One command's handler: the turn, the command as sent (for who sent it) and its normalized options.</summary>
    internal delegate Task<IReadOnlyList<OutboundAction>> CommandHandler(Turn turn, SlashCommand command,
        IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken);

    private readonly EnginePorts _ports;
    private readonly TimeProvider _time;
    private readonly string _defaultZone;
    private readonly string _holidayCountry;
    private readonly ILogger _logger;
    private readonly InterviewRecording _recording;
    private readonly ButtonRouting _buttons;
    private readonly NotesForm _notes;
    private readonly InterviewDetails _details;
    private readonly CohortCommands? _cohorts;
    private readonly MemberDataCommands? _memberData;

    public ConversationEngine(EnginePorts ports, TimeProvider time, IOptions<BotOptions> options, ILogger<ConversationEngine>? logger = null)
    {
        _ports = ports;
        _time = time;
        _defaultZone = options.Value.DefaultTimeZone;
        _holidayCountry = options.Value.HolidayCountry;
        _logger = logger ?? NullLogger<ConversationEngine>.Instance;
        var book = new NudgeBook(_ports);
        var replanner = new Replanner(_ports, book);
        var progress = new InterviewProgress(_ports, book, replanner);
        _details = new InterviewDetails(_ports, progress, replanner);
        _recording = new InterviewRecording(_ports, progress, replanner);
        var commands = new InterviewCommands(_ports, progress);
        var editing = new InterviewEditing(replanner, commands);
        var settings = new SettingsCommand(_ports, replanner, _holidayCountry);
        _notes = new NotesForm(_ports, book);
        _buttons = new ButtonRouting(_ports, book, progress, commands, _notes, _details, _recording, replanner);
        // Optional so that compositions without cohort storage keep working; they answer that it is unavailable.
        if (ports.Cohorts is { } c)
        {
            _cohorts = new CohortCommands(c.Cohorts, c.Scheduler, new CohortActivityReader(c.Cohorts, ports.Interviews, ports.Nudges), c.Dashboard);
            _memberData = new MemberDataCommands(_ports, c.Cohorts, c.MemberData, c.Scheduler,
                new MemberDataExport(ports.Interviews, ports.Nudges, c.Cohorts));
        }

        Handlers = new Dictionary<string, CommandHandler>(StringComparer.Ordinal)
        {
            [CommandCatalog.InterviewDone] = (turn, _, o, ct) => _recording.CommandAsync(turn, o, ct),
            [CommandCatalog.InterviewList] = (turn, _, _, ct) => commands.ListAsync(turn, ct),
            [CommandCatalog.InterviewShow] = (turn, _, o, ct) => commands.ShowAsync(turn, o, ct),
            [CommandCatalog.InterviewOutcome] = (turn, _, o, ct) => commands.OutcomeAsync(turn, o, ct),
            [CommandCatalog.InterviewFollowUp] = (turn, _, o, ct) => commands.FollowUpAsync(turn, o, ct),
            [CommandCatalog.InterviewForget] = (turn, _, o, ct) => commands.ForgetAsync(turn, o, ct),
            [CommandCatalog.InterviewEdit] = (turn, _, o, ct) => editing.EditAsync(turn, o, ct),
            [CommandCatalog.Settings] = (turn, _, o, ct) => settings.RunAsync(turn, o, ct),
            [CommandCatalog.Help] = (_, _, _, _) => Task.FromResult(HelpText.Replies),
            [CommandCatalog.Export] = WithMemberData((m, turn, _, _, ct) => m.ExportAsync(turn, ct)),
            [CommandCatalog.DeleteMyData] = WithMemberData((m, turn, _, _, ct) => m.DeleteAsync(turn, ct)),
            [CommandCatalog.CohortCreate] = WithCohorts((h, turn, c, o, ct) => h.CreateAsync(turn, c.From, o, ct)),
            [CommandCatalog.CohortJoin] = WithCohorts((h, turn, c, o, ct) => h.JoinAsync(turn, c.From, o, ct)),
            [CommandCatalog.CohortLevel] = WithCohorts((h, turn, c, o, ct) => h.LevelAsync(turn, c.From, o, ct)),
            [CommandCatalog.CohortLeave] = WithCohorts((h, turn, _, o, ct) => h.LeaveAsync(turn, o, ct)),
            [CommandCatalog.CohortStatus] = WithCohorts((h, turn, c, o, ct) => h.StatusAsync(turn, c.From, o, ct)),
            [CommandCatalog.CohortDigest] = WithCohorts((h, turn, c, o, ct) => h.DigestAsync(turn, c.From, o, ct)),
            [CommandCatalog.CohortDashboard] = WithCohorts((h, turn, c, _, ct) => h.DashboardAsync(turn, c.From, ct)),
        };
    }

    /// <summary>Every command of <see cref="CommandCatalog"/> with its handler (a test checks none is missing).</summary>
    internal IReadOnlyDictionary<string, CommandHandler> Handlers { get; }

    private CommandHandler WithCohorts(Func<CohortCommands, Turn, SlashCommand, IReadOnlyDictionary<string, string>, CancellationToken,
        Task<IReadOnlyList<OutboundAction>>> handler) =>
        (turn, command, options, ct) => _cohorts is null ? Task.FromResult(UnavailableReply) : handler(_cohorts, turn, command, options, ct);

    private CommandHandler WithMemberData(Func<MemberDataCommands, Turn, SlashCommand, IReadOnlyDictionary<string, string>, CancellationToken,
        Task<IReadOnlyList<OutboundAction>>> handler) =>
        (turn, command, options, ct) => _memberData is null ? Task.FromResult(UnavailableReply) : handler(_memberData, turn, command, options, ct);

    private static IReadOnlyList<OutboundAction> UnavailableReply => [new Reply(new Message(Unavailable))];

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
            Log.HandlingFailed(_logger, ex, inbound.GetType().Name, inbound.From.Key);
            return [new Reply(new Message("Sorry, something went wrong on my side. Please try again in a moment."))];
        }
    }

    /// <summary>How fresh a member's stored "last active" may be before an event writes it again.</summary>
    internal static readonly TimeSpan ActivityResolution = TimeSpan.FromMinutes(1);

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
        // A member in a conversation sends several events a minute (a command, its detail buttons, a form, the next
        // command). "Last active" is kept to the minute (coaches and retention count days), so those write the member
        // once rather than once each; a change of anything else is written at once.
        var unchangedRecently = existing is not null && member with { LastActiveAt = existing.LastActiveAt } == existing
            && now >= existing.LastActiveAt && now - existing.LastActiveAt < ActivityResolution;
        member = unchangedRecently ? existing! : await _ports.Members.SaveAsync(member, cancellationToken);
        ZonedTime.TryFindZone(member.TimeZoneId, out var zone);
        return (new Turn(member, zone, now, _ports.Planner.Playbook, HolidayCalendar.Of(member, _holidayCountry)), existing?.UnreachableNoticePending == true);
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
        return Handlers.TryGetValue(name, out var handler)
            ? await handler(turn, command, options, cancellationToken)
            : HelpText.Replies;
    }

    private async Task<IReadOnlyList<OutboundAction>> FormAsync(Turn turn, string formId, IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values) normalized[name.Trim().ToLowerInvariant()] = value ?? "";

        if (!FormId.TryParse(formId, out var id))
        {
            Log.UnknownForm(_logger, Wording.Cut(formId ?? "", 100));
            return [new Reply(new Message("That form is no longer open. Start again with the command, for example /interview done."))];
        }
        return id.Kind switch
        {
            FormKind.InterviewDone => await _recording.SubmitAsync(turn, normalized, cancellationToken),
            FormKind.Notes => await _notes.SubmitAsync(turn, id.InterviewId, normalized, cancellationToken),
            _ => await _details.SubmitAsync(turn, id, normalized, cancellationToken),
        };
    }

    private async Task<IReadOnlyList<OutboundAction>> ButtonAsync(Turn turn, MemberContext from, string buttonId, CancellationToken cancellationToken)
    {
        if (!ButtonId.TryParse(buttonId, out var id))
        {
            Log.UnknownButton(_logger, Wording.Cut(buttonId ?? "", 100));
            return [new Reply(new Message(ButtonRouting.Unknown))];
        }
        switch (id)
        {
            case CohortJoinButton or CohortStatusButton:
                if (_cohorts is null) return UnavailableReply;
                return await _cohorts.PressAsync(turn, from, id, cancellationToken);
            case ConfirmButton { Kind: ConfirmationKind.DeleteMyData } confirm:
                if (_memberData is null) return UnavailableReply;
                return await _memberData.ConfirmDeleteAsync(turn, confirm.Id, confirm.Yes, cancellationToken);
            case FormChoiceButton choice:
                // A choice made with a button on a form counts as submitting that one field: the draft keeps the rest.
                return await FormAsync(turn, choice.FormId, new Dictionary<string, string> { [choice.Field] = choice.Value }, cancellationToken);
            default:
                return await _buttons.PressAsync(turn, id, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Handling {Event} for {Member} failed")]
        public static partial void HandlingFailed(ILogger logger, Exception exception, string @event, MemberKey member);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Refused an unknown button id {ButtonId}")]
        public static partial void UnknownButton(ILogger logger, string buttonId);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Refused an unknown form id {FormId}")]
        public static partial void UnknownForm(ILogger logger, string formId);
    }
}
