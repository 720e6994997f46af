namespace FollowUpBot.Core.Conversations;

public sealed class ConversationEngine : IConversationEngine
{
    public Task<IReadOnlyList<OutboundAction>> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken) =>
        throw new NotImplementedException("TODO(engine)");
}
