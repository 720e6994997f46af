using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.Tests.Support;

namespace FollowUpBot.Platforms.Slack.Tests;

/// <summary>A response_url is a bearer capability: no log line, at any level, may carry it.</summary>
public sealed class CapabilityUrlLoggingTests
{
    [Fact]
    public async Task AResponseUrlNeverAppearsInTheLogsEvenAtTrace()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = e => e is SlashCommand ? [new ShowForm(new Form("f", "A form", [new FormField("company", "Company", FormFieldKind.Text, true)]))]
            : [new Reply(new Message("Saved."))];
        var command = fake.SlashCommand("U1", "/interview", "done");
        await socket.SendEnvelopeAsync("slash_commands", command);
        var opened = await fake.WaitUntilAsync(() => fake.Views.FirstOrDefault(), "views.open");
        await socket.SendEnvelopeAsync("interactive", fake.ViewSubmission("U1", opened, new Dictionary<string, string> { ["company"] = "Acme" }));
        var post = await fake.WaitUntilAsync(() => fake.ResponsePosts.FirstOrDefault(), "the reply through the response_url");

        var responseUrl = (string)command["response_url"]!;
        Assert.DoesNotContain(responseUrl, harness.Logs.All);
        Assert.DoesNotContain(post.ResponseUrlId, harness.Logs.All);
        // The Web API calls are still visible, by method name.
        Assert.Contains("views.open", harness.Logs.All);
    }
}
