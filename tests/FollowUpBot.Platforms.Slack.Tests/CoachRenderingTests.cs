using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.Inbound;
using FollowUpBot.Platforms.Slack.Rendering;

namespace FollowUpBot.Platforms.Slack.Tests;

/// <summary>Slack's command escapes read back, and structured messages kept within Block Kit's limits.</summary>
public sealed class CoachRenderingTests
{
    [Theory]
    [InlineData("create channel:<#C0123ABCD|career-room>", "create channel:C0123ABCD")]
    [InlineData("create channel:<#C0123ABCD|>", "create channel:C0123ABCD")]
    [InlineData("create channel:<#G0123ABCD>", "create channel:G0123ABCD")]
    [InlineData("done company:\"Smith &amp; Co &lt;EU&gt;\"", "done company:\"Smith & Co <EU>\"")]
    [InlineData("done interviewers:\"<@U0456|ana>, Ben\"", "done interviewers:\"@ana, Ben\"")]
    [InlineData("done notes:<https://acme.example/jobs|the posting>", "done notes:https://acme.example/jobs")]
    [InlineData("done company:Acme", "done company:Acme")]
    public void EscapedCommandTextReadsAsTheMemberMeantIt(string sent, string meant) =>
        Assert.Equal(meant, SlackCommandText.Unescape(sent));

    [Fact]
    public void AStructuredMessageIsAHeaderSectionsAndCodeBlockTablesWithThePlainTextAsFallback()
    {
        var page = MessagePager.Paginate("Fall 2026 <digest>", [
            new MessageSection("Outcomes", ["Offer at Acme & Sons"]),
            new MessageSection("Status", [], new MessageTable(["Member", "Company"], [["ana", "Acme & Sons"], ["ben", "Initech"]])),
        ])[0];

        var body = BlockKit.MessageBody(page);

        Assert.Equal(page.Text, (string?)body["text"]);
        var blocks = body["blocks"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(("header", "Fall 2026 <digest>"), ((string?)blocks[0]["type"], (string?)blocks[0]["text"]!["text"]));
        Assert.Equal("*Outcomes*\nOffer at Acme &amp; Sons", (string?)blocks[1]["text"]!["text"]);
        var table = (string)blocks[^1]["text"]!["text"]!;
        Assert.StartsWith("```\nMember  Company", table);
        Assert.Contains("ana     Acme &amp; Sons", table);
    }

    [Fact]
    public void AMessageTooBigForOneSlackMessageIsSplitIntoPiecesThatEachFit()
    {
        var rows = Enumerable.Range(0, 400).Select(i => (IReadOnlyList<string>)[$"member {i}", new string('x', 60), "3 overdue"]).ToList();
        var lines = Enumerable.Range(0, 120).Select(i => $"line {i}: " + new string('y', 2900)).ToList();
        var message = new Message("plain") { Title = new string('T', 300), Sections = [new MessageSection("Big", lines, new MessageTable(["Who", "What", "Flags"], rows))] };

        var bodies = BlockKit.MessageBodies(message);

        Assert.True(bodies.Count > 1);
        Assert.Equal("plain", (string?)bodies[0]["text"]);
        foreach (var body in bodies)
        {
            var blocks = body["blocks"]!.AsArray().OfType<JsonObject>().ToList();
            Assert.InRange(blocks.Count, 1, 50);
            Assert.All(blocks, b => Assert.InRange(((string)b["text"]!["text"]!).Length, 1, (string?)b["type"] == "header" ? 150 : 3000));
            Assert.False(string.IsNullOrEmpty((string?)body["text"]));
        }
        Assert.InRange(BlockKit.Blocks(message).Count, 1, 50);
    }

    [Fact]
    public void AChannelTheEngineNamesByIdIsShownAsASlackChannelLink() =>
        Assert.Equal("The digest goes to <#C0COACH1> on Mondays; #general stays text.",
            (string?)BlockKit.Blocks(new Message("The digest goes to #C0COACH1 on Mondays; #general stays text."))[0]!["text"]!["text"]);
}
