namespace FollowUpBot.Core.Messages;

public enum FormFieldKind
{
    /// <summary>One line of text.</summary>
    Text,
    /// <summary>Several lines (notes).</summary>
    LongText,
    /// <summary>A date, or one of the special words the engine accepts ("not said", "next week").</summary>
    Date,
    /// <summary>One of <see cref="FormField.Choices"/>.</summary>
    Choice,
    /// <summary>"yes" or "no".</summary>
    YesNo,
}

public sealed record FormChoice(string Value, string Label);

/// <summary>
/// One question. <see cref="Value"/> is what to pre-fill (what the member typed earlier, kept after an
/// error); <see cref="Error"/> is set when the engine rejected that value, saying which rule and an example.
/// Values travel as strings in the engine's own syntax (choices by <see cref="FormChoice.Value"/>,
/// dates as ISO yyyy-MM-dd or the words above, yes/no as "yes"/"no").
/// </summary>
public sealed record FormField(
    string Name,
    string Label,
    FormFieldKind Kind,
    bool Required,
    string? Value = null,
    string? Error = null,
    string? Hint = null,
    int MaxLength = 100,
    IReadOnlyList<FormChoice>? Choices = null);

/// <summary>
/// A set of questions for the member. <see cref="Id"/> comes back in FormSubmitted (at most 60 characters).
/// The engine keeps what was already given on its side, so a submit needs to carry only these fields.
/// </summary>
public sealed record Form(string Id, string Title, IReadOnlyList<FormField> Fields, string? Intro = null)
{
    public bool HasErrors => Fields.Any(f => f.Error is not null);
}
