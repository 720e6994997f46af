using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// The terminal chat: reads lines, turns them into engine events (commands, form answers, button presses),
/// renders the engine's answers and, between lines, the nudges that fell due. Console-only commands:
/// <c>/wait</c>, <c>/press</c>, <c>/help</c> and <c>/quit</c>.
/// </summary>
public sealed class ConsoleChat(
    ConsoleTerminal terminal,
    IConversationEngine engine,
    ConsoleRenderer renderer,
    ConsoleMailbox mailbox,
    ButtonNumbers buttons,
    ConsoleClock clock,
    ILogger<ConsoleChat> logger)
{
    private static readonly string[] ConsoleHelp =
    [
        "Console commands: /wait 2d (or 20h, 30m, 1d12h) moves the simulated clock, /press ID presses a button, /quit leaves.",
        "Bot commands: /followup help lists them, e.g. /interview done company:\"Acme\" interviewers:\"Ana Ruiz\" format:video",
    ];

    private FormSession? _form;

    private MemberContext From => new(terminal.Member, LocalZoneHint(), terminal.Member.UserId, terminal.IsCoach);

    /// <summary>Runs until /quit or the end of input. Deliveries due at start are printed before any input is read.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        mailbox.Holding = clock.IsSimulated;
        await CatchUpAsync(cancellationToken);
        if (terminal.IsInteractive) renderer.WriteLines(ConsoleHelp);

        while (await terminal.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!await HandleLineAsync(line, cancellationToken)) break;
            await CatchUpAsync(cancellationToken);
        }
    }

    /// <summary>Handles one typed line; false when the member asked to leave.</summary>
    public async Task<bool> HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        var text = line.Trim();
        if (_form is { } form && !text.StartsWith('/'))
        {
            var step = form.Answer(line);
            renderer.WriteLines(step.Lines);
            if (step.Submit is { } values)
            {
                _form = null;
                await SendAsync(new FormSubmitted(From, form.Form.Id, values), cancellationToken);
            }
            return true;
        }
        if (_form is not null)
        {
            _form = null;
            renderer.WriteLines(["(Form cancelled.)"]);
        }
        if (text.Length == 0) return true;
        if (!text.StartsWith('/'))
        {
            renderer.WriteLines(["Commands start with a slash: try /followup help, or /help for the console's own."]);
            return true;
        }

        var word = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var argument = word.Length > 1 ? word[1].Trim() : "";
        switch (word[0].ToLowerInvariant())
        {
            case "/quit" or "/exit":
                return false;
            case "/help":
                renderer.WriteLines(ConsoleHelp);
                return true;
            case "/press":
                await PressAsync(argument, cancellationToken);
                return true;
            case "/wait":
                await WaitAsync(argument, cancellationToken);
                return true;
        }

        if (CommandText.TryParse(text, From, out var command, out var error))
            await SendAsync(command!, cancellationToken);
        else
            renderer.WriteLines([error ?? "I did not understand that command. Try /followup help."]);
        return true;
    }

    private async Task PressAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length == 0)
        {
            renderer.WriteLines(["Say which button: /press 2 (the number shown beside it)."]);
            return;
        }
        if (!buttons.TryResolve(id, out var buttonId))
        {
            renderer.WriteLines([$"There is no button {id} here: use a number shown as /press ID."]);
            return;
        }
        await SendAsync(new ButtonPressed(From, buttonId), cancellationToken);
    }

    private async Task WaitAsync(string argument, CancellationToken cancellationToken)
    {
        if (!clock.IsSimulated)
        {
            renderer.WriteLines(["/wait moves a simulated clock, and this chat runs on the real one. Start it with --now (e.g. --now 2026-12-04T16:30) to use /wait."]);
            return;
        }
        if (!WaitDuration.TryParse(argument, out var span))
        {
            renderer.WriteLines(["Say how long to wait, for example /wait 2d, /wait 20h, /wait 30m or /wait 1d12h (at most 366 days)."]);
            return;
        }
        if (!await clock.WaitAsync(span, cancellationToken))
            logger.LogWarning("The scheduler did not deliver the nudges due at {Now:O} in time; the clock stopped there.", clock.UtcNow);
    }

    private async Task SendAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        var actions = await engine.HandleAsync(inbound, cancellationToken);
        foreach (var action in actions) Render(action);
    }

    private void Render(OutboundAction action)
    {
        switch (action)
        {
            case Reply reply:
                renderer.WriteMessage(reply.Message);
                break;
            case UpdateMessage update:
                renderer.WriteMessage(update.Message);
                break;
            case SendDirectMessage direct:
                renderer.WriteMessage(direct.Message);
                break;
            case PostToChannel post:
                renderer.WriteLines([$"(posted to channel {post.ChannelId})"]);
                renderer.WriteMessage(post.Message);
                break;
            case ShowForm show:
                _form = new FormSession(show.Form);
                renderer.WriteLines(_form.Start());
                break;
            default:
                logger.LogWarning("The console cannot show a {Action}.", action.GetType().Name);
                break;
        }
    }

    /// <summary>Lets the scheduler deliver what is already due, then prints it.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if (!await clock.SettleAsync(cancellationToken) && clock.IsSimulated)
            logger.LogWarning("The scheduler did not deliver the nudges due at {Now:O} in time.", clock.UtcNow);
        mailbox.Flush();
    }

    // On Linux and macOS the local zone id is already IANA; elsewhere the engine falls back to its default.
    private static string? LocalZoneHint() =>
        TimeZoneInfo.Local.HasIanaId ? TimeZoneInfo.Local.Id
        : TimeZoneInfo.TryConvertWindowsIdToIanaId(TimeZoneInfo.Local.Id, out var iana) ? iana
        : null;
}
