using FollowUpBot.Core.Delivery;

namespace FollowUpBot.Platforms.Console;

/// <summary>The chat platform port for the terminal: a direct message is text on the screen, always delivered.</summary>
public sealed class ConsoleChatPlatform(ConsoleMailbox mailbox, ConsoleRenderer renderer, ConsoleTerminal terminal) : IChatPlatform
{
    public string Name => ConsoleTerminal.PlatformName;

    public Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken)
    {
        // A possible repeat after a crash is simply shown again: the member sees the screen.
        mailbox.Deliver(request);
        return Task.FromResult(DeliveryResult.Delivered);
    }

    public Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken)
    {
        renderer.WriteLines([$"(posted to channel {request.ChannelId})"]);
        // A digest's chart is saved beside the database, and its path printed where the post is shown.
        renderer.WriteMessage(request.Message, terminal.ChannelFileFolder);
        return Task.FromResult(DeliveryResult.Delivered);
    }
}
