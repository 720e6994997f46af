using System.Text.Json.Nodes;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Tests.Conversations;
using FollowUpBot.Core.Tests.Planning;
using FollowUpBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Playbooks;

/// <summary>
/// docs/extending.md, "Adding a nudge kind": everything a kind does comes from its playbook step. The step below is
/// written into the shipped playbook under <c>mail_card</c>, a kind no code names, so nothing but the data describes
/// it (a truly new kind adds only its enum value to <see cref="NudgeKind"/>): after a rejection it asks the member to
/// thank the person who referred them, survives that outcome, lists itself with its own summary and carries its own
/// buttons. The engine, the planner, the composer and the dispatcher are the real ones.
/// </summary>
public sealed class NewNudgeKindTests
{
    private const string Summary = "thank whoever referred you";

    private static Playbook WithStep(Action<JsonObject> adjust)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "playbook.json")))!.AsObject();
        var steps = root["steps"]!.AsArray();
        var index = steps.Select((s, i) => (s, i)).Single(p => (string?)p.s!["kind"] == "mail_card").i;
        var step = new JsonObject
        {
            ["kind"] = "mail_card",
            ["summary"] = Summary,
            ["rule"] = "R7",
            ["sources"] = new JsonArray("003"),
            ["quietHours"] = true,
            ["survivesOutcome"] = true,
            ["buttons"] = new JsonArray("done", "skip"),
            ["timing"] = new JsonArray(new JsonObject { ["anchor"] = "outcome_recorded", ["outcomes"] = new JsonArray("rejected"), ["delay"] = "P1D", ["at"] = "10:00" }),
            ["maxLateness"] = "P2D",
            ["text"] = "Whoever referred you to {company} will want to know how it went: a short thank-you keeps them on your side.",
            ["lateText"] = "A short thank-you to whoever referred you to {company} is still welcome.",
        };
        adjust(step);
        steps[index] = step;
        return Playbook.Parse(root.ToJsonString());
    }

    private static NudgeDispatcher Dispatcher(EngineFixture f, RecordingChatPlatform platform) => new(
        f.Store, f.Store, f.Store, f.Scheduler, new ChatPlatformDirectory([platform]), f.Planner, f.Composer,
        Options.Create(new DeliveryOptions()), Options.Create(new BotOptions()), f.Clock, NullLogger<NudgeDispatcher>.Instance);

    [Fact]
    public async Task AStepAfterARejectionIsPlannedListedWithItsSummaryAndSentWithItsButtonsDespiteTheOutcome()
    {
        var f = new EngineFixture(playbook: WithStep(_ => { }));
        var interview = await f.RecordAsync();
        Assert.Empty(f.NudgesOf(interview, NudgeKind.MailCard));

        await f.Command($"/interview outcome id:{interview.Number} result:rejected");

        var nudge = Assert.Single(f.NudgesOf(interview, NudgeKind.MailCard));
        Assert.Equal(f.Local("2026-12-05T10:00"), nudge.DueAt);
        Assert.Contains($": {Summary}", ReplyText(await f.Command($"/interview show id:{interview.Number}")));
        // Once the feedback request and the references' thanks (due today) are done, it is what /interview list names next.
        foreach (var today in f.NudgesOf(interview).Where(n => n.Kind is NudgeKind.AskFeedback or NudgeKind.ThankReferences))
            UpdateOf(await f.Press(new NudgeButton(today.Id, NudgeAction.Done).Format()));
        Assert.Contains($"next, {Summary}, Sat 5 Dec 10:00", ReplyText(await f.Command("/interview list")));

        var platform = new RecordingChatPlatform("test");
        f.Clock.SetUtcNow(nudge.DueAt);
        Assert.Equal(DispatchOutcome.Delivered, await Dispatcher(f, platform).DispatchAsync(nudge.Id, CancellationToken.None));

        var sent = Assert.Single(platform.DirectMessages).Message;
        Assert.StartsWith("Whoever referred you to Acme", sent.Text);
        Assert.Equal([new NudgeButton(nudge.Id, NudgeAction.Done).Format(), new NudgeButton(nudge.Id, NudgeAction.Skip).Format()],
            sent.Buttons.Select(b => b.Id));
        Assert.EndsWith("Done.", UpdateOf(await f.Press(sent.Buttons[0].Id)).Text);
        Assert.Equal(NudgeState.Done, f.Store.Nudges.Single(n => n.Id == nudge.Id).State);
    }

    /// <summary>Whether a nudge planned before the outcome still goes out after it is the step's survivesOutcome, nothing else.</summary>
    [Theory]
    [InlineData(true, NudgeState.Sent)]
    [InlineData(false, NudgeState.Cancelled)]
    public async Task WhetherAStepSurvivesAnOutcomeIsItsOwnSay(bool survives, NudgeState expected)
    {
        var f = new EngineFixture(playbook: WithStep(step =>
        {
            step["survivesOutcome"] = survives;
            step["timing"] = new JsonArray(new JsonObject { ["anchor"] = "interview_end", ["delay"] = "P3D", ["at"] = "10:00" });
        }));
        var interview = await f.RecordAsync();
        var nudge = Assert.Single(f.NudgesOf(interview, NudgeKind.MailCard));

        await f.Command($"/interview outcome id:{interview.Number} result:rejected");
        f.Clock.SetUtcNow(nudge.DueAt);
        await Dispatcher(f, new RecordingChatPlatform("test")).DispatchAsync(nudge.Id, CancellationToken.None);

        Assert.Equal(expected, f.Store.Nudges.Single(n => n.Id == nudge.Id).State);
    }

    /// <summary>The outcomes that keep a process open end a step only when it lists them (the chasing does).</summary>
    [Theory]
    [InlineData(false, NudgeState.Pending)]
    [InlineData(true, NudgeState.Cancelled)]
    public async Task AStepListsTheOpenOutcomesThatEndIt(bool cancelledByNoReply, NudgeState expected)
    {
        var f = new EngineFixture(playbook: WithStep(step =>
        {
            step["survivesOutcome"] = false;
            step["timing"] = new JsonArray(new JsonObject { ["anchor"] = "interview_end", ["delay"] = "P3D", ["at"] = "10:00" });
            if (cancelledByNoReply) step["cancelledBy"] = new JsonArray("no_reply");
        }));
        var interview = await f.RecordAsync();
        var nudge = Assert.Single(f.NudgesOf(interview, NudgeKind.MailCard));

        await f.Command($"/interview outcome id:{interview.Number} result:no-reply");

        Assert.Equal(expected, f.Store.Nudges.Single(n => n.Id == nudge.Id).State);
    }

    [Fact]
    public void TheWeeklySeriesCountComesFromThePlaybook()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "playbook.json")))!.AsObject();
        root["steps"]!.AsArray().Single(s => (string?)s!["kind"] == "follow_up")!["repeat"]!["total"] = 3;
        var step = Playbook.Parse(root.ToJsonString()).Step(NudgeKind.FollowUp);

        Assert.Equal("follow up with the employer", step.Summarize(null, 1));
        Assert.Equal("follow up with the employer (weekly, 2 of 3)", step.Summarize(null, 2));
        Assert.Equal("thank Ana Ruiz", PlanningFixture.ShippedPlaybook.Step(NudgeKind.ThankYou).Summarize("Ana Ruiz"));
        Assert.Equal("thank your interviewer", PlanningFixture.ShippedPlaybook.Step(NudgeKind.ThankYou).Summarize(null));
    }

    [Fact]
    public void EveryShippedStepHasASummary() =>
        Assert.All(PlanningFixture.ShippedPlaybook.Steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Summarize("Ana", 1)), s.Kind.Name()));
}
