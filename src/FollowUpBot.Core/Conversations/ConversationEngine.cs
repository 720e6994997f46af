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
    private readonly ILogger _logger;
    private readonly InterviewRecording _recording;
    private readonly InterviewCommands _commands;
    private readonly ButtonRouting _buttons;
    private readonly NotesForm _notes;
    private readonly SettingsCommand _settings;

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
        ILogger<ConversationEngine>? logger = null)
    {
        _ports = new EnginePorts(members, interviews, nudges, drafts, scheduler, planner, composer);
        _time = time;
        _defaultZone = options.Value.DefaultTimeZone;
        _logger = logger ?? NullLogger<ConversationEngine>.Instance;
        var book = new NudgeBook(_ports);
        var progress = new InterviewProgress(_ports, book);
        _recording = new InterviewRecording(_ports, book);
        _commands = new InterviewCommands(_ports, progress);
        _notes = new NotesForm(_ports, book);
        _buttons = new ButtonRouting(_ports, book, progress, _commands, _notes);
        _settings = new SettingsCommand(_ports, book);
    }

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
                ButtonPressed button => await ButtonAsync(turn, button.ButtonId, cancellationToken),
                _ => [new Reply(new Message("I can't handle that kind of message yet. Type /followup help to see what I can do."))],
            });
            return actions.Select(Wording.Fit).ToList();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
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
        return (new Turn(member, zone, now), existing?.UnreachableNoticePending == true);
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
            CommandCatalog.InterviewOutcome => await _commands.OutcomeAsync(turn, options, cancellationToken),
            CommandCatalog.InterviewFollowUp => await _commands.FollowUpAsync(turn, options, cancellationToken),
            CommandCatalog.InterviewForget => await _commands.ForgetAsync(turn, options, cancellationToken),
            CommandCatalog.Settings => await _settings.RunAsync(turn, options, cancellationToken),
            _ => [new Reply(new Message(HelpText.Text))],
        };
    }

    private async Task<IReadOnlyList<OutboundAction>> FormAsync(Turn turn, string formId, IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values) normalized[name.Trim().ToLowerInvariant()] = value ?? "";

        if (formId == InterviewForm.Id) return await _recording.SubmitAsync(turn, normalized, cancellationToken);
        if (NotesForm.TryParseId(formId, out var interviewId)) return await _notes.SubmitAsync(turn, interviewId, normalized, cancellationToken);
        return [new Reply(new Message("That form is no longer open. Start again with the command, for example /interview done."))];
    }

    private Task<IReadOnlyList<OutboundAction>> ButtonAsync(Turn turn, string buttonId, CancellationToken cancellationToken)
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
