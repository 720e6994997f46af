using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>
/// An engine form being filled in on Discord. A modal holds at most five text inputs and a modal submit
/// cannot be answered with another modal, so the form is split: text fields into modal parts of five, and
/// choice / yes-no fields into selects on an ephemeral "panel" message that also has a button per modal part
/// and a Submit button. Values gather here until the member submits; the engine then sees one FormSubmitted.
/// </summary>
public sealed class FormSession
{
    public const string Prefix = "dform:";
    private const int FieldsPerModal = 5;
    private const int MaxPanelSelects = 4;

    private readonly object _gate = new();
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<int> _answeredParts = [];

    public FormSession(string id, MemberKey owner, Form form, DateTimeOffset createdAt)
    {
        Id = id;
        Owner = owner;
        Form = form;
        CreatedAt = createdAt;
        var choices = form.Fields.Where(f => f.Kind is FormFieldKind.Choice or FormFieldKind.YesNo && ChoicesOf(f).Count is > 0 and <= 25).ToList();
        PanelFields = choices.Take(MaxPanelSelects).ToList();
        // Choice fields that do not fit on the panel become text inputs listing their choices.
        var texts = form.Fields.Where(f => !PanelFields.Contains(f)).ToList();
        ModalParts = texts.Chunk(FieldsPerModal).Take(4).Select(c => (IReadOnlyList<FormField>)c).ToList();
        foreach (var field in form.Fields)
            if (!string.IsNullOrEmpty(field.Value)) _values[field.Name] = field.Value;
    }

    public string Id { get; }

    public MemberKey Owner { get; }

    public Form Form { get; }

    public DateTimeOffset CreatedAt { get; }

    public IReadOnlyList<IReadOnlyList<FormField>> ModalParts { get; }

    public IReadOnlyList<FormField> PanelFields { get; }

    public bool AllPartsAnswered
    {
        get { lock (_gate) return _answeredParts.Count >= ModalParts.Count; }
    }

    public void Answer(int part, IReadOnlyDictionary<string, string> values)
    {
        lock (_gate)
        {
            foreach (var field in ModalParts[part])
                _values[field.Name] = values.TryGetValue(field.Name, out var v) ? v.Trim() : "";
            _answeredParts.Add(part);
        }
    }

    public bool Choose(int panelField, string value)
    {
        if (panelField < 0 || panelField >= PanelFields.Count) return false;
        var field = PanelFields[panelField];
        if (!ChoicesOf(field).Any(c => c.Value == value)) return false;
        lock (_gate) _values[field.Name] = value;
        return true;
    }

    /// <summary>Every field of the form, empty where skipped.</summary>
    public IReadOnlyDictionary<string, string> Values()
    {
        lock (_gate) return Form.Fields.ToDictionary(f => f.Name, f => _values.GetValueOrDefault(f.Name, ""), StringComparer.Ordinal);
    }

    public string ModalId(int part) => new FormCommand(Id, FormCommandKind.ModalSubmitted, part).Format();

    public JsonObject Modal(int part)
    {
        var title = ModalParts.Count > 1 ? $"{Form.Title} ({part + 1}/{ModalParts.Count})" : Form.Title;
        var components = new JsonArray();
        lock (_gate)
        {
            foreach (var field in ModalParts[part])
            {
                var input = new JsonObject
                {
                    ["type"] = 4,
                    ["custom_id"] = DiscordMessages.Fit(field.Name, 100),
                    ["style"] = field.Kind == FormFieldKind.LongText ? 2 : 1,
                    ["required"] = field.Required,
                    ["max_length"] = Math.Clamp(field.MaxLength, 1, 4000),
                };
                if (_values.GetValueOrDefault(field.Name) is { Length: > 0 } value) input["value"] = DiscordMessages.Fit(value, Math.Clamp(field.MaxLength, 1, 4000));
                if (Placeholder(field) is { Length: > 0 } placeholder) input["placeholder"] = DiscordMessages.Fit(placeholder, 100);
                var label = new JsonObject { ["type"] = 18, ["label"] = DiscordMessages.Fit(field.Label, 45), ["component"] = input };
                var description = field.Error is { Length: > 0 } error ? "⚠ " + error : field.Hint;
                if (description is { Length: > 0 }) label["description"] = DiscordMessages.Fit(description, 100);
                components.Add(label);
            }
        }
        return new JsonObject
        {
            ["custom_id"] = ModalId(part),
            ["title"] = DiscordMessages.Fit(title, 45),
            ["components"] = components,
        };
    }

    /// <summary>The ephemeral panel: what is still open, the selects, a button per modal part and Submit.</summary>
    public JsonObject Panel(string? notice = null)
    {
        var text = new StringBuilder();
        text.Append("**").Append(Form.Title).Append("**\n");
        if (Form.Intro is { Length: > 0 } intro) text.Append(intro).Append('\n');
        foreach (var field in Form.Fields.Where(f => f.Error is { Length: > 0 }))
            text.Append("⚠ ").Append(field.Label).Append(": ").Append(field.Error).Append('\n');
        if (notice is { Length: > 0 }) text.Append(notice).Append('\n');
        text.Append(ModalParts.Count > 0 ? "Answer the questions, pick the choices below, then press Submit." : "Pick the choices below, then press Submit.");

        var rows = new JsonArray();
        lock (_gate)
        {
            for (var i = 0; i < PanelFields.Count; i++)
            {
                var field = PanelFields[i];
                var options = new JsonArray();
                foreach (var choice in ChoicesOf(field))
                {
                    var option = new JsonObject { ["label"] = DiscordMessages.Fit(choice.Label, 100), ["value"] = DiscordMessages.Fit(choice.Value, 100) };
                    if (_values.GetValueOrDefault(field.Name) == choice.Value) option["default"] = true;
                    options.Add(option);
                }
                rows.Add(new JsonObject
                {
                    ["type"] = 1,
                    ["components"] = new JsonArray(new JsonObject
                    {
                        ["type"] = 3,
                        ["custom_id"] = new FormCommand(Id, FormCommandKind.Choice, i).Format(),
                        ["placeholder"] = DiscordMessages.Fit(field.Label + (field.Required ? "" : " (optional)"), 150),
                        ["min_values"] = 1,
                        ["max_values"] = 1,
                        ["options"] = options,
                    }),
                });
            }
            var buttons = new JsonArray();
            for (var part = 0; part < ModalParts.Count; part++)
            {
                var answered = _answeredParts.Contains(part);
                var label = ModalParts.Count == 1 ? (answered ? "Edit answers" : "Answer the questions")
                    : $"Questions {part + 1}/{ModalParts.Count}{(answered ? " ✓" : "")}";
                buttons.Add(DiscordMessages.Button(new FormCommand(Id, FormCommandKind.OpenPart, part).Format(), label, answered ? ButtonStyle.Secondary : ButtonStyle.Primary));
            }
            buttons.Add(DiscordMessages.Button(new FormCommand(Id, FormCommandKind.Submit).Format(), "Submit", ButtonStyle.Success));
            rows.Add(new JsonObject { ["type"] = 1, ["components"] = buttons });
        }
        return new JsonObject
        {
            ["content"] = DiscordMessages.Fit(text.ToString(), DiscordMessages.MaxContent),
            ["components"] = rows,
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
    }

    public static IReadOnlyList<FormChoice> ChoicesOf(FormField field) =>
        field.Kind == FormFieldKind.YesNo && field.Choices is not { Count: > 0 }
            ? [new FormChoice("yes", "Yes"), new FormChoice("no", "No")]
            : field.Choices ?? [];

    private static string? Placeholder(FormField field) => field.Kind switch
    {
        FormFieldKind.Date => "yyyy-mm-dd, or \"not said\"",
        FormFieldKind.Choice or FormFieldKind.YesNo => "one of: " + string.Join(", ", ChoicesOf(field).Select(c => c.Value)),
        _ => null,
    };
}

/// <summary>What a panel or modal custom id of a <see cref="FormSession"/> asks for; the letter is its wire form.</summary>
public enum FormCommandKind
{
    /// <summary>'m': a modal part was submitted (the index is the part).</summary>
    ModalSubmitted,
    /// <summary>'p': open a modal part (the panel's button; the index is the part).</summary>
    OpenPart,
    /// <summary>'c': a choice on the panel's select (the index is the panel field).</summary>
    Choice,
    /// <summary>'s': submit the form.</summary>
    Submit,
}

/// <summary>A panel or modal custom id: "dform:{session}:m:{part}" (modal), ":p:{part}" (open part), ":c:{field}" (select),
/// ":s" (submit). <see cref="Format"/> and <see cref="Parse"/> are each other's inverse.</summary>
public sealed record FormCommand(string SessionId, FormCommandKind Kind, int Index = 0)
{
    private static readonly Dictionary<FormCommandKind, char> Letters = new()
    {
        [FormCommandKind.ModalSubmitted] = 'm',
        [FormCommandKind.OpenPart] = 'p',
        [FormCommandKind.Choice] = 'c',
        [FormCommandKind.Submit] = 's',
    };

    private static readonly Dictionary<char, FormCommandKind> ByLetter = Letters.ToDictionary(p => p.Value, p => p.Key);

    public string Format() => Kind == FormCommandKind.Submit
        ? $"{FormSession.Prefix}{SessionId}:{Letters[Kind]}"
        : $"{FormSession.Prefix}{SessionId}:{Letters[Kind]}:{Index.ToString(CultureInfo.InvariantCulture)}";

    public static FormCommand? Parse(string? customId)
    {
        if (customId is null || !customId.StartsWith(FormSession.Prefix, StringComparison.Ordinal)) return null;
        var parts = customId[FormSession.Prefix.Length..].Split(':');
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length != 1 || !ByLetter.TryGetValue(parts[1][0], out var kind)) return null;
        if (kind == FormCommandKind.Submit) return parts.Length == 2 ? new FormCommand(parts[0], kind) : null;
        return parts.Length == 3 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? new FormCommand(parts[0], kind, index)
            : null;
    }
}

/// <summary>Open forms, in memory: one per member (a new form replaces the member's previous one).</summary>
public sealed class FormSessions(TransportClock clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    private readonly ConcurrentDictionary<string, FormSession> _sessions = new();

    public FormSession Open(MemberKey owner, Form form)
    {
        var now = clock.Time.GetUtcNow();
        foreach (var (key, old) in _sessions)
            if (old.Owner == owner || now - old.CreatedAt > Lifetime) _sessions.TryRemove(key, out _);
        var session = new FormSession(Guid.NewGuid().ToString("N")[..12], owner, form, now);
        _sessions[session.Id] = session;
        return session;
    }

    public FormSession? Find(string id) =>
        _sessions.TryGetValue(id, out var s) && clock.Time.GetUtcNow() - s.CreatedAt <= Lifetime ? s : null;

    public void Close(FormSession session) => _sessions.TryRemove(session.Id, out _);
}
