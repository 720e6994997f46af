using System.Globalization;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Console;

/// <summary>What to print after an answer, and the values to submit once every question is answered.</summary>
public sealed record FormStep(IReadOnlyList<string> Lines, IReadOnlyDictionary<string, string>? Submit)
{
    public bool IsComplete => Submit is not null;
}

/// <summary>
/// A form asked as plain-text questions, one field per line. A fresh form asks every field; a form the engine
/// sent back with errors asks only the fields in error (showing what was typed). Choices accept their value,
/// their label or their number; yes/no accepts y/n. Anything else is passed on as typed so the engine can
/// explain what is wrong with it.
/// </summary>
public sealed class FormSession
{
    private readonly List<FormField> _questions;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private int _index;

    public FormSession(Form form)
    {
        Form = form;
        _questions = form.HasErrors ? form.Fields.Where(f => f.Error is not null).ToList() : form.Fields.ToList();
        foreach (var field in form.Fields.Where(f => f.Error is null && f.Value is not null))
            _values[field.Name] = field.Value!;
    }

    public Form Form { get; }

    public FormField? Current => _index < _questions.Count ? _questions[_index] : null;

    /// <summary>The title (or the errors of a rejected submit) and the first question.</summary>
    public IReadOnlyList<string> Start()
    {
        var lines = new List<string>();
        if (Form.HasErrors)
        {
            lines.Add("Some answers need another look:");
            lines.AddRange(Form.Fields.Where(f => f.Error is not null).Select(f => $"- {f.Label}: {f.Error}"));
        }
        else
        {
            lines.Add(Form.Title);
            if (!string.IsNullOrWhiteSpace(Form.Intro)) lines.Add(Form.Intro!);
            lines.Add("(One answer per line. Enter skips an optional question; a line starting with / cancels the form.)");
        }
        if (_questions.Count == 0) return lines;
        lines.AddRange(Question(_questions[0]));
        return lines;
    }

    /// <summary>Takes the answer to the current question; returns what to print next.</summary>
    public FormStep Answer(string line)
    {
        var field = Current ?? throw new InvalidOperationException("The form has no question left.");
        var answer = line.Trim();
        if (answer.Length == 0)
        {
            if (field.Error is null && field.Value is not null)
            {
                _values[field.Name] = field.Value;
            }
            else if (field.Required)
            {
                return new FormStep(["This one is required.", .. Question(field)], null);
            }
            else
            {
                _values[field.Name] = "";
            }
        }
        else
        {
            _values[field.Name] = Normalize(field, answer);
        }

        _index++;
        return Current is { } next
            ? new FormStep(Question(next), null)
            : new FormStep([], new Dictionary<string, string>(_values, StringComparer.Ordinal));
    }

    /// <summary>The question for one field: label, whether it is required, hint, choices and what was typed.</summary>
    public static IReadOnlyList<string> Question(FormField field)
    {
        var lines = new List<string>();
        var need = field.Error is null && field.Value is not null ? "Enter keeps it"
            : field.Required ? "required"
            : "optional, Enter skips";
        var hint = string.IsNullOrWhiteSpace(field.Hint) ? "" : $" - {field.Hint}";
        lines.Add($"{field.Label} ({need}){hint}");
        if (field.Kind == FormFieldKind.Choice && field.Choices is { Count: > 0 } choices)
            lines.Add("  Choices: " + string.Join(", ", choices.Select(Describe)));
        else if (field.Kind == FormFieldKind.YesNo)
            lines.Add("  Answer yes or no.");
        if (field.Value is not null)
            lines.Add(field.Error is null ? $"  Now: {field.Value}" : $"  You typed: {field.Value}");
        return lines;
    }

    private static string Describe(FormChoice choice) =>
        string.Equals(choice.Value, choice.Label, StringComparison.OrdinalIgnoreCase)
            ? choice.Value
            : $"{choice.Value} ({choice.Label})";

    private static string Normalize(FormField field, string answer)
    {
        switch (field.Kind)
        {
            case FormFieldKind.Choice when field.Choices is { Count: > 0 } choices:
                var match = choices.FirstOrDefault(c =>
                    string.Equals(c.Value, answer, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(c.Label, answer, StringComparison.OrdinalIgnoreCase));
                if (match is not null) return match.Value;
                if (int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= choices.Count)
                    return choices[n - 1].Value;
                return answer;
            case FormFieldKind.YesNo:
                return answer.ToLowerInvariant() switch
                {
                    "y" or "yes" or "true" => "yes",
                    "n" or "no" or "false" => "no",
                    _ => answer,
                };
            default:
                return answer;
        }
    }
}
