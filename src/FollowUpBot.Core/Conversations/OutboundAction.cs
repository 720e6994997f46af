using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Conversations;

/// <summary>What the engine wants done in answer to an event. Adapters render each kind.</summary>
public abstract record OutboundAction;

/// <summary>An answer to the member where they typed; ephemeral = only they see it.</summary>
public sealed record Reply(Message Message, bool Ephemeral = true) : OutboundAction;

/// <summary>Ask the member to fill in a form (a modal, or questions one by one).</summary>
public sealed record ShowForm(Form Form) : OutboundAction;

/// <summary>Replace the message whose button was pressed (only in answer to ButtonPressed).</summary>
public sealed record UpdateMessage(Message Message) : OutboundAction;

/// <summary>A direct message outside the nudge pipeline (e.g. an export). Nudges never go this way.</summary>
public sealed record SendDirectMessage(MemberKey To, Message Message) : OutboundAction;

/// <summary>A post to a channel of the member's platform (coach channels).</summary>
public sealed record PostToChannel(string ChannelId, Message Message) : OutboundAction;
