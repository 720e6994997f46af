using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FollowUpBot.Core.Messages;

/// <summary>The forms the engine shows.</summary>
public enum FormKind
{
    /// <summary>/interview done's questions: "interview-done".</summary>
    InterviewDone,
    /// <summary>The debrief notes of a stored interview: "interview-notes:42".</summary>
    Notes,
    /// <summary>One detail a one-line /interview done left out: "interview-details:42".</summary>
    Details,
    /// <summary>The next round's date and time: "next-round:42".</summary>
    NextRound,
    /// <summary>The date an offer needs an answer by: "offer-deadline:42".</summary>
    OfferDeadline,
}

/// <summary>
/// A form's id, typed: <see cref="Format"/> is what the adapters carry (and drafts are stored under), <see cref="TryParse"/>
/// reads it back. <see cref="InterviewId"/> is 0 for <see cref="FormKind.InterviewDone"/>, which is about no stored interview.
/// </summary>
public sealed record FormId(FormKind Kind, long InterviewId = 0)
{
    public static FormId InterviewDone { get; } = new(FormKind.InterviewDone);

    private static readonly WireNames<FormKind> Names = new()
    {
        { FormKind.InterviewDone, "interview-done" },
        { FormKind.Notes, "interview-notes" },
        { FormKind.Details, "interview-details" },
        { FormKind.NextRound, "next-round" },
        { FormKind.OfferDeadline, "offer-deadline" },
    };

    public string Format() => Kind == FormKind.InterviewDone
        ? Names.Name(Kind)
        : $"{Names.Name(Kind)}:{InterviewId.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => Format();

    public static bool TryParse(string? text, [NotNullWhen(true)] out FormId? id)
    {
        id = null;
        var parts = (text ?? "").Split(':');
        if (parts is [var single] && Names.TryParse(single, out var only) && only == FormKind.InterviewDone)
            id = InterviewDone;
        else if (parts is [var name, var number] && Names.TryParse(name, out var kind) && kind != FormKind.InterviewDone &&
                 long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var interviewId) && interviewId > 0)
            id = new FormId(kind, interviewId);
        return id is not null;
    }
}
