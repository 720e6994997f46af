namespace FollowUpBot.Core.Messages;

public enum ButtonStyle { Primary, Secondary, Success, Danger }

/// <summary>
/// A button the engine wants shown. <see cref="Id"/> is what comes back in a ButtonPressed event
/// (the <see cref="ButtonId.Format"/> of what it means); it carries routing only, never secrets, and is at most 100 characters.
/// </summary>
public sealed record Button(string Id, string Label, ButtonStyle Style = ButtonStyle.Secondary)
{
    public Button(ButtonId id, string label, ButtonStyle style = ButtonStyle.Secondary) : this(id.Format(), label, style) { }
}

/// <summary>
/// Platform-neutral message. <see cref="Text"/> stays under <see cref="MaxTextLength"/> characters so every
/// platform can carry it (Discord's limit is 2,000). Plain text with *emphasis* at most.
/// </summary>
public sealed record Message(string Text, IReadOnlyList<Button> Buttons)
{
    public const int MaxTextLength = 1800;

    public Message(string text) : this(text, []) { }

    /// <summary>A heading for structured content (a Discord embed title, a Slack header block). Optional.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// Structured content (coach status, digests). When present, <see cref="Text"/> still says the same in plain
    /// lines, so an adapter may render either; the engine keeps both within the limits of one message
    /// (see <see cref="MessagePager"/>), so rendering never needs to split.
    /// </summary>
    public IReadOnlyList<MessageSection> Sections { get; init; } = [];

    /// <summary>A file to deliver with the message (a data export). Adapters upload it; the console saves it.</summary>
    public Attachment? Attachment { get; init; }
}
