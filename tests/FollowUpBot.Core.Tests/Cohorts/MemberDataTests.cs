using System.Text;
using System.Text.Json;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Retention;
using FollowUpBot.Core.Tests.Conversations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Core.Tests.Cohorts;

public sealed class MemberDataTests
{
    [Fact]
    public async Task ExportSendsTheMembersOwnDataAsAJsonFileToThemOnly()
    {
        var f = new EngineFixture();
        await f.Command("/cohort create name:\"Fall 2026\" channel:#room", f.Coach);
        var code = f.Store.Cohorts.Single().JoinCode;
        await f.Command($"/cohort join code:{code}", f.Ana);
        await f.Press($"cohort:join:{code}:full", f.Ana);
        await f.RecordAsync(EngineFixture.FullCommand + " notes:\"They liked my cache design\"", f.Ana);
        await f.RecordAsync(EngineFixture.FullCommand.Replace("Acme", "Bobcorp"), f.Bob);

        var actions = await f.Command("/followup export", f.Ana);

        var dm = Assert.IsType<SendDirectMessage>(actions[0]);
        Assert.Equal(f.Ana.Key, dm.To);
        var file = dm.Message.Attachment!;
        Assert.Equal(("followupbot-data-2026-12-04.json", "application/json"), (file.FileName, file.ContentType));
        Assert.Contains(file.FileName, Assert.IsType<Reply>(actions[1]).Message.Text);

        using var json = JsonDocument.Parse(file.Content);
        var root = json.RootElement;
        Assert.Equal("ana", root.GetProperty("member").GetProperty("userId").GetString());
        Assert.Equal(EngineFixture.Zone, root.GetProperty("settings").GetProperty("timeZone").GetString());
        var interview = Assert.Single(root.GetProperty("interviews").EnumerateArray());
        Assert.Equal("Acme", interview.GetProperty("company").GetString());
        Assert.Equal("They liked my cache design", interview.GetProperty("notes").GetString());
        Assert.Equal(f.Store.Nudges.Count(n => n.MemberId == f.Member(f.Ana).Id), interview.GetProperty("nudges").GetArrayLength());
        Assert.Contains(interview.GetProperty("nudges").EnumerateArray(), n => n.GetProperty("kind").GetString() == "thank_you");
        var membership = Assert.Single(root.GetProperty("cohortMemberships").EnumerateArray());
        Assert.Equal(("Fall 2026", "full"), (membership.GetProperty("cohort").GetString(), membership.GetProperty("visibility").GetString()));
        Assert.DoesNotContain("Bobcorp", Encoding.UTF8.GetString(file.Content));
    }

    // The application columns of migration 0004 are the member's data too.
    [Fact]
    public async Task ExportCarriesEachInterviewsApplicationRoundStageAndDates()
    {
        var f = new EngineFixture();
        await f.RecordAsync("/interview done company:Acme interviewers:Ana format:video", f.Ana);
        await f.Command("/interview outcome result:next-round next-round:2026-12-15T10:00", f.Ana);
        f.Clock.Advance(TimeSpan.FromDays(11));
        await f.RecordAsync("/interview done company:Acme interviewers:Zoe format:onsite decision-date:friday references:none", f.Ana);
        await f.Command("/interview outcome result:offer deadline:2026-12-24", f.Ana);

        var file = Assert.IsType<SendDirectMessage>((await f.Command("/followup export", f.Ana))[0]).Message.Attachment!;

        using var json = JsonDocument.Parse(file.Content);
        var rounds = json.RootElement.GetProperty("interviews").EnumerateArray().ToList();
        Assert.Equal([(1, 1, "next_round"), (1, 2, "offer")], rounds.Select(r =>
            (r.GetProperty("process").GetInt32(), r.GetProperty("round").GetInt32(), r.GetProperty("stage").GetString())));
        Assert.Equal("next_round", rounds[0].GetProperty("outcome").GetString());
        Assert.Equal(f.Local("2026-12-15T10:00").UtcDateTime, rounds[0].GetProperty("nextRoundAt").GetDateTimeOffset().UtcDateTime);
        Assert.Equal("2026-12-24", rounds[1].GetProperty("offerDeadline").GetString());
        Assert.Equal(["decision_date", "follow_up_invited", "references"], rounds[0].GetProperty("openQuestions").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal(["follow_up_invited"], rounds[1].GetProperty("openQuestions").EnumerateArray().Select(q => q.GetString()));
        Assert.Contains(rounds[1].GetProperty("nudges").EnumerateArray(), n => n.GetProperty("kind").GetString() == "offer_deadline");
    }

    [Fact]
    public async Task DeleteAsksFirstAndNoKeepsEverything()
    {
        var f = new EngineFixture();
        await f.RecordAsync(from: f.Ana);
        var before = f.Store.Snapshot();

        var ask = Assert.IsType<Reply>(Assert.Single(await f.Command("/followup delete-my-data", f.Ana))).Message;
        Assert.Contains("1 interview", ask.Text);
        Assert.Equal(2, ask.Buttons.Count);
        Assert.Equal(before, f.Store.Snapshot());

        Assert.Equal("Kept your data; nothing changed.", EngineFixture.UpdateOf(await f.Press(ask.Buttons[1].Id, f.Ana)).Text);
        Assert.Equal(before, f.Store.Snapshot());
    }

    [Fact]
    public async Task DeleteRemovesEveryRowAndTriggerOfTheMemberAndNothingOfOthers()
    {
        var f = new EngineFixture();
        await f.Command("/cohort create name:\"Fall 2026\" channel:#room", f.Coach);
        var code = f.Store.Cohorts.Single().JoinCode;
        foreach (var who in new[] { f.Ana, f.Bob })
        {
            await f.Command($"/cohort join code:{code}", who);
            await f.Press($"cohort:join:{code}:full", who);
            await f.RecordAsync(from: who);
        }
        await f.RecordAsync(EngineFixture.FullCommand.Replace("Acme", "Initech"), f.Ana);
        await f.Command("/interview done company:Globex", f.Ana); // leaves a form draft
        var ana = f.Member(f.Ana);
        var bob = f.Member(f.Bob);
        var anaNudges = f.Store.Nudges.Where(n => n.MemberId == ana.Id).Select(n => n.Id).ToList();
        var bobTriggers = f.Scheduler.Triggers.Keys.Where(id => f.Store.Nudges.Single(n => n.Id == id).MemberId == bob.Id).ToList();
        Assert.NotEmpty(bobTriggers);
        var bobBefore = (f.Store.Interviews.Where(i => i.MemberId == bob.Id).ToList(), f.Store.Nudges.Where(n => n.MemberId == bob.Id).ToList());

        var ask = Assert.IsType<Reply>(Assert.Single(await f.Command("/followup delete-my-data", f.Ana))).Message;
        Assert.Contains("someone else", EngineFixture.ReplyText(await f.Press(ask.Buttons[0].Id, f.Bob)));
        Assert.Contains(f.Store.Members, m => m.Id == ana.Id);

        var done = EngineFixture.UpdateOf(await f.Press(ask.Buttons[0].Id, f.Ana)).Text;

        Assert.Contains($"2 interviews, {anaNudges.Count} nudges (none will be sent), 1 cohort membership, 1 unfinished form", done);
        Assert.DoesNotContain(f.Store.Members, m => m.Id == ana.Id);
        Assert.DoesNotContain(f.Store.Interviews, i => i.MemberId == ana.Id);
        Assert.DoesNotContain(f.Store.Nudges, n => n.MemberId == ana.Id);
        Assert.DoesNotContain(f.Store.Memberships, m => m.MemberId == ana.Id);
        Assert.Equal(0, f.Store.DraftCount);
        Assert.Empty(f.Scheduler.Triggers.Keys.Intersect(anaNudges));

        Assert.Equal(bobBefore.Item1, f.Store.Interviews.Where(i => i.MemberId == bob.Id).ToList());
        Assert.Equal(bobBefore.Item2, f.Store.Nudges.Where(n => n.MemberId == bob.Id).ToList());
        Assert.Equal(bobTriggers.Order(), f.Scheduler.Triggers.Keys.Order());
        Assert.Contains(f.Store.Memberships, m => m.MemberId == bob.Id);
        Assert.Single(f.CohortScheduler.Triggers);
    }

    [Fact]
    public async Task DeletingACoachRemovesTheirCohortsAndDigestTriggers()
    {
        var f = new EngineFixture();
        await f.Command("/cohort create name:\"Fall 2026\" channel:#room", f.Coach);
        var ask = Assert.IsType<Reply>(Assert.Single(await f.Command("/followup delete-my-data", f.Coach))).Message;
        Assert.Contains("the 1 cohort you coach (Fall 2026)", ask.Text);

        var done = EngineFixture.UpdateOf(await f.Press(ask.Buttons[0].Id, f.Coach)).Text;
        Assert.Contains("1 cohort you coached (its digests stopped)", done);
        Assert.Empty(f.Store.Cohorts);
        Assert.Empty(f.CohortScheduler.Triggers);
    }

    [Fact]
    public async Task RetentionRemovesInterviewsClosedLongerThanTheLimitOnly()
    {
        var f = new EngineFixture();
        var old = await f.RecordAsync(from: f.Ana);
        var recent = await f.RecordAsync(EngineFixture.FullCommand.Replace("Acme", "Initech"), f.Ana);
        var open = await f.RecordAsync(EngineFixture.FullCommand.Replace("Acme", "Globex"), f.Ana);
        await f.Command($"/interview outcome id:{old.Number} result:rejected", f.Ana);
        f.Clock.Advance(TimeSpan.FromDays(300));
        await f.Command($"/interview outcome id:{recent.Number} result:offer", f.Ana);
        var oldPending = f.Scheduler.Triggers.Keys.Where(id => f.Store.Nudges.Single(n => n.Id == id).InterviewId == old.Id).ToList();
        f.Clock.Advance(TimeSpan.FromDays(70)); // old: closed 370 days ago; recent: 70

        var retention = new InterviewRetention(f.Store, f.Scheduler, Options.Create(new RetentionOptions { Days = 365 }), f.Clock,
            NullLogger<InterviewRetention>.Instance);
        var removed = await retention.RunAsync(CancellationToken.None);

        Assert.Equal(1, removed.Interviews);
        Assert.Equal([recent.Id, open.Id], f.Store.Interviews.Select(i => i.Id));
        Assert.DoesNotContain(f.Store.Nudges, n => n.InterviewId == old.Id);
        Assert.Empty(f.Scheduler.Triggers.Keys.Intersect(oldPending));
        Assert.Equal(0, (await retention.RunAsync(CancellationToken.None)).Interviews);
    }
}
