using System.Globalization;
using System.Text.RegularExpressions;

namespace FollowUpBot.Host.Tests;

/// <summary>A delivered nudge as the console printed it.</summary>
public sealed record PrintedNudge(string Kind, DateTimeOffset DueAt, bool Late, IReadOnlyList<string> Lines)
{
    public string Text => string.Join('\n', Lines);

    /// <summary>The /press id of the button with this label.</summary>
    public string Button(string label) =>
        Lines.Select(l => Regex.Match(l, @"^  /press (\S+)  (.+)$")).First(m => m.Success && m.Groups[2].Value == label).Groups[1].Value;
}

/// <summary>The console's stdout, read with its output grammar, which every method checks first.</summary>
public sealed partial class Transcript(string output)
{
    [GeneratedRegex(@"^\[(?<kind>[a-z_]+)\] (?<due>\S+)(?<late> \(late\))?$")]
    private static partial Regex Header();

    public string Output { get; } = output;

    public string[] Lines { get; } = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Every nudge in print order. Asserts that every line starting with '[' is a well-formed header.</summary>
    public IReadOnlyList<PrintedNudge> Nudges
    {
        get
        {
            var nudges = new List<PrintedNudge>();
            PrintedNudge? current = null;
            foreach (var line in Lines)
            {
                if (line.StartsWith('['))
                {
                    var match = Header().Match(line);
                    Assert.True(match.Success, $"Not a nudge header: {line}");
                    var due = DateTimeOffset.ParseExact(match.Groups["due"].Value, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                    current = new PrintedNudge(match.Groups["kind"].Value, due, match.Groups["late"].Success, new List<string>());
                    nudges.Add(current);
                }
                else if (current is not null && (line.StartsWith("  /press ", StringComparison.Ordinal) || !IsBetweenNudges(current)))
                {
                    ((List<string>)current.Lines).Add(line);
                }
            }
            return nudges;
        }
    }

    // A nudge's lines run until its buttons end; what follows the buttons belongs to the chat.
    private static bool IsBetweenNudges(PrintedNudge nudge) =>
        nudge.Lines.Count > 0 && nudge.Lines[^1].StartsWith("  /press ", StringComparison.Ordinal);

    public IReadOnlyList<string> Kinds => Nudges.Select(n => n.Kind).ToList();

    public PrintedNudge Last(string kind) => Nudges.Last(n => n.Kind == kind);

    public bool Contains(string text) => Output.Contains(text, StringComparison.Ordinal);
}
