using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Console;

namespace FollowUpBot.Platforms.Console.Tests;

public class ConsoleRendererTests
{
    private readonly StringWriter _output = new();
    private readonly ConsoleRenderer _renderer;

    public ConsoleRendererTests() =>
        _renderer = new ConsoleRenderer(new ConsoleTerminal(TextReader.Null, _output), new ButtonNumbers());

    private string[] Lines => _output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void ANudgeStartsWithItsKindAndLocalDueTimeThenTextThenNumberedButtons()
    {
        var due = new DateTimeOffset(2026, 12, 4, 18, 0, 0, TimeSpan.FromHours(-5));
        _renderer.WriteNudge(new NudgeHeader(NudgeKind.ThankYou, due, Late: true),
            new Message("Thank Ana Ruiz.", [new Button("nudge:3:done", "Done"), new Button("nudge:3:skip", "Skip")]));

        Assert.Equal(
        [
            "[thank_you] 2026-12-04T18:00:00-05:00 (late)",
            "Thank Ana Ruiz.",
            "  /press 1  Done",
            "  /press 2  Skip",
        ], Lines);
    }

    [Fact]
    public void NoOtherLineStartsWithABracket()
    {
        _renderer.WriteMessage(new Message("Your notes:\n[draft] hello\nok"));
        Assert.Equal(["Your notes:", "  [draft] hello", "ok"], Lines);
    }
}
