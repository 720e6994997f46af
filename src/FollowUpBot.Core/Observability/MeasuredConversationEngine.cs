using System.Diagnostics;
using FollowUpBot.Core.Conversations;

namespace FollowUpBot.Core.Observability;

/// <summary>
/// Times every event the engine handles, whatever platform it came from, into
/// <c>followupbot.interaction.duration</c>: one place instead of one stopwatch per adapter.
/// </summary>
public sealed class MeasuredConversationEngine(IConversationEngine inner, BotMetrics metrics) : IConversationEngine
{
    public async Task<IReadOnlyList<OutboundAction>> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.HandleAsync(inbound, cancellationToken);
        }
        finally
        {
            metrics.InteractionHandled(Stopwatch.GetElapsedTime(started), inbound.From.Key.Platform, EventName(inbound));
        }
    }

    private static string EventName(InboundEvent inbound) => inbound switch
    {
        SlashCommand => "command",
        FormSubmitted => "form",
        ButtonPressed => "button",
        _ => "other",
    };
}
