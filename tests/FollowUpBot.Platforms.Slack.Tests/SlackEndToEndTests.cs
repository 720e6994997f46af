using FollowUpBot.Core.Domain;
using FollowUpBot.Platforms.Slack.Tests.Support;

namespace FollowUpBot.Platforms.Slack.Tests;

/// <summary>The real engine, SQLite and Quartz on a simulated clock, with Slack played by the fake.</summary>
public sealed class SlackEndToEndTests
{
    // Friday 4 December 2026, 14:00 UTC: 15:00 in Berlin (U2), 09:00 in New York (U1).
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);

    private const string AllOptions =
        "done company:\"Acme\" role:\"Backend Engineer\" interviewers:“Ana Ruiz, Ben Ode” format:onsite " +
        "decision-date:2026-12-11 follow-up-invited:no references:\"Kim Lee\"";

    [Fact]
    public async Task InterviewDoneWithAllOptionsIsStoredAndTheDebriefArrivesAtOnce()
    {
        await using var bot = await SlackBot.StartAsync(T0);

        var (_, answer) = await bot.CommandWithAnswerAsync("U1", "/interview", AllOptions);

        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        Assert.Contains("Acme", (string?)answer["text"]);
        var interview = Assert.Single(await bot.InterviewsAsync("U1"));
        Assert.Equal(("Acme", "Backend Engineer", InterviewFormat.Onsite), (interview.Company, interview.Role, interview.Format));
        Assert.Equal(["Ana Ruiz", "Ben Ode"], interview.Interviewers);
        Assert.Equal(new DateOnly(2026, 12, 11), interview.DecisionDate);

        var dm = FakeSlack.DmChannelOf("U1");
        var debrief = await bot.Fake.WaitUntilAsync(() => bot.Fake.MessagesIn(dm).FirstOrDefault(), "the debrief DM");
        Assert.Contains("Acme", debrief.Text);
        Assert.NotEmpty(debrief.ActionIds);
        Assert.StartsWith("n", (string?)debrief.Metadata?["event_payload"]?["delivery_key"]);
        Assert.Empty(bot.Fake.Problems);
    }

    [Fact]
    public async Task MissingFieldsOpenAModalWhoseBadDateIsRejectedInlineUntilCorrected()
    {
        await using var bot = await SlackBot.StartAsync(T0);
        var fake = bot.Fake;

        await bot.CommandAsync("U1", "/interview", "done company:Acme");
        var opened = await fake.WaitUntilAsync(() => fake.Views.FirstOrDefault(), "views.open");
        Assert.Empty(fake.Problems);
        Assert.Empty(await bot.InterviewsAsync("U1"));

        var answers = new Dictionary<string, string>
        {
            ["company"] = "Acme", ["interviewers"] = "Ana Ruiz", ["format"] = "video", ["decision-date"] = "2026-11-20",
        };
        var rejected = await fake.WaitForAckAsync(await bot.Socket.SendEnvelopeAsync("interactive", fake.ViewSubmission("U1", opened, answers)));

        Assert.Equal("errors", (string?)rejected.Payload?["response_action"]);
        Assert.Contains("before the interview day", (string?)rejected.Payload?["errors"]?["decision-date"]);
        Assert.Empty(await bot.InterviewsAsync("U1"));

        answers["decision-date"] = "2026-12-14";
        var accepted = await fake.WaitForAckAsync(await bot.Socket.SendEnvelopeAsync("interactive", fake.ViewSubmission("U1", opened, answers)));

        Assert.Null(accepted.Payload);
        await fake.WaitUntilAsync(() => fake.ResponsePosts.Any(), "the confirmation through the command's response_url");
        var interview = Assert.Single(await bot.InterviewsAsync("U1"));
        Assert.Equal((InterviewFormat.Video, new DateOnly(2026, 12, 14)), (interview.Format, interview.DecisionDate));
    }

    [Fact]
    public async Task SlacksTimeZoneIsWhatThePlannerUses()
    {
        await using var bot = await SlackBot.StartAsync(T0);

        await bot.CommandWithAnswerAsync("U1", "/interview", AllOptions);
        await bot.CommandWithAnswerAsync("U2", "/interview", AllOptions);

        Assert.Equal("America/New_York", (await bot.MemberAsync("U1"))!.TimeZoneId);
        Assert.Equal("Europe/Berlin", (await bot.MemberAsync("U2"))!.TimeZoneId);
        // The thank-you is due at 18:00 local on the day: 23:00 UTC in New York, 17:00 UTC in Berlin.
        var newYork = (await bot.NudgesAsync("U1")).First(n => n.Kind == NudgeKind.ThankYou).DueAt;
        var berlin = (await bot.NudgesAsync("U2")).First(n => n.Kind == NudgeKind.ThankYou).DueAt;
        Assert.Equal(T0.Date.AddHours(23), newYork.UtcDateTime);
        Assert.Equal(T0.Date.AddHours(17), berlin.UtcDateTime);
    }

    [Fact]
    public async Task NudgeFallingDueLaterArrivesAndItsButtonsWorkOnlyForItsOwner()
    {
        await using var bot = await SlackBot.StartAsync(T0);
        var fake = bot.Fake;
        var dm = FakeSlack.DmChannelOf("U2");
        await bot.CommandWithAnswerAsync("U2", "/interview", AllOptions);
        await fake.WaitUntilAsync(() => fake.MessagesIn(dm).Count == 1, "the debrief");
        var thankYou = (await bot.NudgesAsync("U2")).First(n => n.Kind == NudgeKind.ThankYou);

        bot.Clock.SetUtcNow(thankYou.DueAt);

        var nudge = await fake.WaitUntilAsync(() => fake.MessagesIn(dm).FirstOrDefault(m =>
            m.Metadata?["event_payload"]?["delivery_key"]?.ToString() == thankYou.DeliveryKey), "the thank-you nudge");
        var done = nudge.ActionIds.Single(id => id == $"nudge:{thankYou.Id}:done");

        // Someone else pressing it is refused, only to them, and nothing changes.
        var press = fake.BlockAction("U1", nudge, done);
        await fake.WaitForAckAsync(await bot.Socket.SendEnvelopeAsync("interactive", press));
        var pressUrl = ((string)press["response_url"]!).Split('/')[^1];
        var refusal = await fake.WaitUntilAsync(() => fake.ResponsePosts.FirstOrDefault(p => p.ResponseUrlId == pressUrl), "the refusal");
        Assert.Equal("ephemeral", (string?)refusal.Body["response_type"]);
        Assert.Contains("someone else", (string?)refusal.Body["text"]);
        Assert.Equal(0, nudge.Updates);

        await fake.WaitForAckAsync(await bot.Socket.SendEnvelopeAsync("interactive", fake.BlockAction("U2", nudge, done)));

        await fake.WaitUntilAsync(() => nudge.Updates == 1, "the nudge message updated");
        var stored = (await bot.NudgesAsync("U2")).Single(n => n.Id == thankYou.Id);
        Assert.Equal(NudgeState.Done, stored.State);
        Assert.Empty(fake.Problems);
    }
}
