namespace FollowUpBot.Core.Conversations;

/// <summary>Inbound event in, outbound actions out. Never throws for bad input: it answers politely.</summary>
public interface IConversationEngine
{
    Task<IReadOnlyList<OutboundAction>> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken);
}
