namespace FollowUpBot.Core.Messages;

public enum ButtonStyle { Primary, Secondary, Success, Danger }

/// <summary>
/// A button the engine wants shown. <see cref="Id"/> is what comes back in a ButtonPressed event
/// (see <see cref="ButtonIds"/>); it carries routing only, never secrets, and is at most 100 characters.
/// </summary>
public sealed record Button(string Id, string Label, ButtonStyle Style = ButtonStyle.Secondary);

/// <summary>
/// Platform-neutral message. <see cref="Text"/> stays under <see cref="MaxTextLength"/> characters so every
/// platform can carry it (Discord's limit is 2,000). Plain text with *emphasis* at most.
/// </summary>
public sealed record Message(string Text, IReadOnlyList<Button> Buttons)
{
    public const int MaxTextLength = 1800;

    public Message(string text) : this(text, []) { }
}
