using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

public sealed class MemberAndSettingsTests
{
    private readonly EngineFixture _f = new(defaultZone: "Europe/Paris");

    [Fact]
    public async Task ANewMemberTakesThePlatformsZoneAndDefaultQuietHours()
    {
        await _f.Command("/followup help");
        var member = _f.Member(_f.Ana);
        Assert.Equal(("America/New_York", false), (member.TimeZoneId, member.TimeZoneSetByMember));
        Assert.Equal(QuietHours.Default, member.QuietHours);
        Assert.Equal(_f.Clock.GetUtcNow(), member.LastActiveAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Mars/Olympus_Mons")]
    public async Task WithoutAUsableHintTheDefaultZoneApplies(string? hint)
    {
        var carl = new MemberContext(new MemberKey("test", "w1", "carl"), hint);
        await _f.Command("/followup help", carl);
        Assert.Equal("Europe/Paris", _f.Member(carl).TimeZoneId);
    }

    [Fact]
    public async Task EventsWithinAMinuteWriteTheMemberOnceAndAMinuteLaterActivityIsWrittenAgain()
    {
        await _f.Command("/followup help");
        var first = _f.Member(_f.Ana);
        _f.Clock.Advance(TimeSpan.FromSeconds(25));
        await _f.Command("/interview list");
        _f.Clock.Advance(TimeSpan.FromSeconds(30));
        await _f.Command("/followup help");

        Assert.Equal(1, _f.Store.MemberWrites);
        Assert.Equal(first, _f.Member(_f.Ana));

        _f.Clock.Advance(TimeSpan.FromSeconds(5));
        await _f.Command("/followup help");

        Assert.Equal(2, _f.Store.MemberWrites);
        Assert.Equal(_f.Clock.GetUtcNow(), _f.Member(_f.Ana).LastActiveAt);
    }

    [Fact]
    public async Task AZoneThePlatformReportsDifferentlyWithinTheMinuteIsWrittenAtOnce()
    {
        await _f.Command("/followup help");
        _f.Clock.Advance(TimeSpan.FromSeconds(10));

        await _f.Command("/followup help", _f.Ana with { TimeZoneHint = "Asia/Tokyo" });

        Assert.Equal(2, _f.Store.MemberWrites);
        Assert.Equal("Asia/Tokyo", _f.Member(_f.Ana).TimeZoneId);
        Assert.Equal(_f.Clock.GetUtcNow(), _f.Member(_f.Ana).LastActiveAt);
    }

    [Fact]
    public async Task ActivityStoredAheadOfThisClockIsWrittenRatherThanTrusted()
    {
        // Another instance whose clock runs ahead recorded the member's last event.
        await _f.Command("/followup help");
        await _f.Store.SaveAsync(_f.Member(_f.Ana) with { LastActiveAt = _f.Clock.GetUtcNow().AddSeconds(20) }, CancellationToken.None);

        await _f.Command("/followup help");

        Assert.Equal(3, _f.Store.MemberWrites);
        Assert.Equal(_f.Clock.GetUtcNow(), _f.Member(_f.Ana).LastActiveAt);
    }

    [Fact]
    public async Task TheMembersOwnZoneWinsOverThePlatformsAndActivityIsTracked()
    {
        await _f.Command("/followup settings time-zone:Asia/Tokyo");
        _f.Clock.Advance(TimeSpan.FromHours(1));
        await _f.Command("/followup help");
        var member = _f.Member(_f.Ana);
        Assert.Equal(("Asia/Tokyo", true), (member.TimeZoneId, member.TimeZoneSetByMember));
        Assert.Equal(_f.Clock.GetUtcNow(), member.LastActiveAt);
        Assert.Single(_f.Store.Members);
    }

    [Fact]
    public async Task TheUnreachableNoticeComesOnceBeforeTheAnswer()
    {
        await _f.Command("/followup help");
        _f.Store.Seed(_f.Member(_f.Ana) with { UnreachableNoticePending = true, UnreachableSince = _f.Clock.GetUtcNow() });

        var actions = await _f.Command("/interview list");

        Assert.Equal(2, actions.Count);
        var notice = Assert.IsType<Reply>(actions[0]);
        Assert.True(notice.Ephemeral);
        Assert.Contains("couldn't reach you", notice.Message.Text);
        Assert.Contains("allow direct messages", notice.Message.Text);
        Assert.Contains("no open interviews", Assert.IsType<Reply>(actions[1]).Message.Text);
        Assert.False(_f.Member(_f.Ana).UnreachableNoticePending);
        Assert.Single(await _f.Command("/interview list"));
    }

    [Theory]
    [InlineData("interview redo", "no sub-command \"redo\"")]
    [InlineData("weather", "I don't know the command /weather")]
    [InlineData("interview", "/interview needs one of")]
    public async Task PlatformParsedCommandsAreCheckedToo(string name, string expected)
    {
        var text = ReplyText(await _f.Send(new SlashCommand(_f.Ana, name, new Dictionary<string, string>())));
        Assert.Contains(expected, text);
        Assert.Empty(_f.Store.Interviews);
    }

    [Fact]
    public async Task AnUnknownOptionFromAPlatformNamesTheKnownOnes()
    {
        var text = ReplyText(await _f.Send(new SlashCommand(_f.Ana, "interview done",
            new Dictionary<string, string> { ["company"] = "Acme", ["salary"] = "lots" })));
        Assert.Contains("has no option \"salary\"", text);
        Assert.Contains("company, role, interviewers, format, decision-date, follow-up-invited, references, ended, notes", text);
        Assert.Empty(_f.Store.Interviews);
        Assert.Null(_f.Store.Draft(_f.Member(_f.Ana).Id, "interview-done"));
    }

    [Fact]
    public async Task AnUnknownFormIsAnsweredPolitely() =>
        Assert.Contains("no longer open", ReplyText(await _f.Submit("survey-42", new() { ["x"] = "y" })));

    [Fact]
    public async Task HelpListsEveryCommandWithAnExample()
    {
        var pages = (await _f.Command("/followup help")).Select(a => Assert.IsType<Reply>(a).Message.Text).ToList();
        var text = string.Join('\n', pages);
        foreach (var command in CommandCatalog.All)
        {
            Assert.Contains($"/{command.Name}:", text);
            Assert.Contains(command.Example, text);
        }
        // As many messages as it takes, each whole: nothing is cut off with an ellipsis.
        Assert.All(pages, page => Assert.True(page.Length < Message.MaxTextLength && !page.EndsWith('…'), page));
    }

    [Fact]
    public async Task SettingsWithoutOptionsShowsThem()
    {
        var text = ReplyText(await _f.Command("/followup settings"));
        Assert.Contains("time zone America/New_York", text);
        Assert.Contains("quiet hours 21:00-08:00", text);
    }

    [Fact]
    public async Task SettingsChangeZoneAndQuietHoursAndMoveWaitingNudgesOutOfTheNewQuietHours()
    {
        var interview = await _f.RecordAsync();
        var thankYous = _f.NudgesOf(interview, NudgeKind.ThankYou); // Fri 18:00 New York
        var debrief = _f.NudgesOf(interview, NudgeKind.Debrief).Single();

        var text = ReplyText(await _f.Command("/followup settings time-zone:America/New_York quiet-hours:17:00-09:00"));

        Assert.Contains("Saved", text);
        Assert.Contains("quiet hours 17:00-09:00", text);
        var member = _f.Member(_f.Ana);
        Assert.Equal(new QuietHours(new TimeOnly(17, 0), new TimeOnly(9, 0)), member.QuietHours);
        Assert.True(member.TimeZoneSetByMember);
        Assert.All(thankYous, t =>
        {
            var moved = _f.Store.Nudges.Single(n => n.Id == t.Id);
            Assert.Equal(_f.Local("2026-12-05T09:00"), moved.DueAt); // the end of the new quiet hours
            Assert.Equal(moved.DueAt, _f.Scheduler.Triggers[t.Id]);
        });
        Assert.Equal(debrief.DueAt, _f.Store.Nudges.Single(n => n.Id == debrief.Id).DueAt);
        Assert.Contains("• thank Ana Ruiz: Fri 4 Dec 18:00 → Sat 5 Dec 09:00", text);
        Assert.Contains("• thank Ben Ode: Fri 4 Dec 18:00 → Sat 5 Dec 09:00", text);
        Assert.EndsWith("Next: write down your debrief notes, Fri 4 Dec 16:30 (your time, America/New_York).", text);
    }

    [Theory]
    [InlineData("/followup settings time-zone:Berlin", "I don't know the time zone \"Berlin\"")]
    [InlineData("/followup settings time-zone:Europe/Berlin quiet-hours:late", "Quiet hours look like 21:00-08:00")]
    [InlineData("/followup settings quiet-hours:25:00-08:00", "Quiet hours look like 21:00-08:00")]
    [InlineData("/followup settings quiet-hours:18:00-11:00", "at most 16 hours")]
    [InlineData("/followup settings quiet-hours:08:00-08:00", "start and an end that differ")]
    public async Task BadSettingsChangeNothing(string line, string expected)
    {
        await _f.RecordAsync();
        var member = _f.Member(_f.Ana);
        var before = _f.Store.Snapshot();

        var text = ReplyText(await _f.Command(line));

        Assert.Contains(expected, text);
        Assert.Contains("Nothing changed", text);
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal(member with { LastActiveAt = _f.Member(_f.Ana).LastActiveAt }, _f.Member(_f.Ana));
    }
}
