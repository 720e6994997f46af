using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Interactions;
using FollowUpBot.Platforms.Discord.Tests.Fakes;

namespace FollowUpBot.Platforms.Discord.Tests;

public sealed class EmbedTests
{
    private static readonly string[] Columns = ["Member", "In progress", "Thank-yous overdue", "Follow-ups due", "Days quiet", "Interviews", "Last outcome"];

    private static MessageTable Table(int rows, int cellLength = 12) => new(Columns,
        Enumerable.Range(1, rows).Select(i => (IReadOnlyList<string>)Columns.Select((c, n) => n == 0 ? $"Member {i}" : new string('x', cellLength)).ToList()).ToList());

    private static void AssertSendable(IReadOnlyList<JsonObject> bodies)
    {
        foreach (var body in bodies)
        {
            DiscordSchema.AssertValid("MessageCreateRequest", body);
            EmbedLimits.AssertWithin(body);
        }
    }

    [Fact]
    public void APlainMessageStaysPlainText()
    {
        var body = Assert.Single(DiscordMessages.Bodies(new Message("Saved.")));

        Assert.Equal("Saved.", body["content"]!.GetValue<string>());
        Assert.Null(body["embeds"]);
    }

    [Fact]
    public void AStatusPageIsOneMessageWithTheTitleInContentAndARowPerField()
    {
        var page = MessagePager.Paginate("Fall 2026: status", [new MessageSection("Members", ["3 members"], Table(3))]).Single()
            with { Buttons = [new Button("cohort:status:1:2", "Next page")] };

        var body = Assert.Single(DiscordMessages.Bodies(page));

        AssertSendable([body]);
        Assert.Equal("**Fall 2026: status**", body["content"]!.GetValue<string>());
        var embed = Assert.Single(body["embeds"]!.AsArray())!;
        Assert.Equal("Members", embed["title"]!.GetValue<string>());
        Assert.Equal("3 members", embed["description"]!.GetValue<string>());
        Assert.Equal(["Member 1", "Member 2", "Member 3"], embed["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Contains("Thank-yous overdue: xxxx", embed["fields"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("cohort:status:1:2", body["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>());
    }

    [Fact]
    public void EmptyCellsAreLeftOutAndAnEmptyRowStillHasAValue()
    {
        var table = new MessageTable(["Member", "Last outcome"], [["Ana", ""], ["", ""]]);

        var embed = DiscordMessages.Bodies(new Message("x") { Title = "T", Sections = [new MessageSection("S", [], table)] }).Single()["embeds"]![0]!;

        Assert.Equal([("Ana", "—"), ("—", "—")], embed["fields"]!.AsArray().Select(f => (f!["name"]!.GetValue<string>(), f["value"]!.GetValue<string>())));
    }

    [Fact]
    public void ContentTooBigForOneMessageIsSplitAndEveryPartFits()
    {
        // Far beyond what the engine's pager lets through: 80 rows of long cells, twelve sections, very long lines.
        var sections = Enumerable.Range(1, 12).Select(s => new MessageSection($"Section {s} " + new string('h', 300),
            Enumerable.Range(1, 6).Select(l => $"line {s}.{l} " + new string('l', 1500)).ToList(), s == 1 ? Table(80, 400) : null)).ToList();

        var bodies = DiscordMessages.Bodies(new Message("plain") { Title = new string('T', 500), Sections = sections, Buttons = [new Button("b", "B")] });

        Assert.True(bodies.Count > 1);
        AssertSendable(bodies);
        var texts = EmbedLimits.Texts(bodies).ToList();
        Assert.Equal(Enumerable.Range(1, 80).Select(i => $"Member {i}"), texts.Where(t => t.StartsWith("Member ", StringComparison.Ordinal)));
        Assert.Equal(72, texts.Count(t => t.StartsWith("line ", StringComparison.Ordinal)));
        Assert.All(bodies.SkipLast(1), b => Assert.Empty(b["components"]!.AsArray()));
        Assert.Single(bodies[^1]["components"]!.AsArray());
    }

    [Fact]
    public void AChannelNamedByItsIdBecomesAChannelMention() =>
        Assert.Equal("The digest goes to <#1400000000000000009> on Mondays; issue #12 stays.",
            DiscordMessages.Body(new Message("The digest goes to #1400000000000000009 on Mondays; issue #12 stays."))["content"]!.GetValue<string>());
}
