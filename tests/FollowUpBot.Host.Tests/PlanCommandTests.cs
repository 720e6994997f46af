using System.Globalization;
using System.Text.Json;

namespace FollowUpBot.Host.Tests;

public class PlanCommandTests
{
    private static readonly string[] Onsite =
    [
        "plan", "--interview-end", "2026-12-04T16:30", "--time-zone", "America/New_York", "--format", "onsite",
        "--interviewer", "Ana Ruiz", "--interviewer", "Ben Ode",
    ];

    private static JsonElement[] Entries(ProgramRun run)
    {
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        return json.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [Fact]
    public async Task PrintsOnlyAJsonArrayOfKindDueAtInterviewerAndTextSortedByTime()
    {
        var run = await Followupbot.RunAsync([.. Onsite, "--decision-date", "2026-12-08", "--reference", "Kim Lee"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var entries = Entries(run);
        Assert.NotEmpty(entries);
        var times = new List<DateTimeOffset>();
        foreach (var entry in entries)
        {
            Assert.Equal(["kind", "dueAt", "interviewer", "text"], entry.EnumerateObject().Select(p => p.Name));
            Assert.True(entry.GetProperty("interviewer").ValueKind is JsonValueKind.String or JsonValueKind.Null);
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("text").GetString()));
            var dueAt = entry.GetProperty("dueAt").GetString()!;
            times.Add(DateTimeOffset.ParseExact(dueAt, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            Assert.EndsWith("-05:00", dueAt); // local New York time in December
        }
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task AnOnsiteInterviewWithReferencesAndInvitedFollowUpPlansEveryKind()
    {
        var run = await Followupbot.RunAsync([.. Onsite, "--reference", "Kim Lee", "--follow-up-invited"]);

        Assert.Equal(0, run.ExitCode);
        var entries = Entries(run);
        var kinds = entries.Select(e => e.GetProperty("kind").GetString()).ToList();
        foreach (var kind in new[] { "debrief", "thank_you", "thank_you_reminder", "mail_card", "brief_references",
                     "hold_off", "keep_searching", "follow_up", "outcome_check" })
            Assert.Contains(kind, kinds);

        var thanks = entries.Where(e => e.GetProperty("kind").GetString() == "thank_you").ToList();
        Assert.Equal(["Ana Ruiz", "Ben Ode"], thanks.Select(e => e.GetProperty("interviewer").GetString()).Order());
        Assert.All(thanks, t => Assert.Contains(t.GetProperty("interviewer").GetString()!, t.GetProperty("text").GetString()));
        // Invited: weekly follow-ups, at most five in all (R4, 004 §13).
        Assert.Equal(5, kinds.Count(k => k == "follow_up"));
        Assert.Equal("2026-12-04T16:30:00-05:00", entries[0].GetProperty("dueAt").GetString());
        Assert.Equal("debrief", entries[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task APhoneScreenWithoutReferencesPlansNoCardAndNoBriefing()
    {
        var run = await Followupbot.RunAsync("plan", "--interview-end", "2026-12-04T10:00-05:00", "--time-zone", "America/New_York",
            "--format", "phone", "--interviewer", "Ana Ruiz");

        Assert.Equal(0, run.ExitCode);
        var kinds = Entries(run).Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.DoesNotContain("mail_card", kinds);
        Assert.DoesNotContain("brief_references", kinds);
        Assert.Single(kinds, k => k == "follow_up");
    }

    [Theory]
    [InlineData("--time-zone", "Mars/Olympus")]
    [InlineData("--interview-end", "yesterday-ish")]
    [InlineData("--format", "carrier-pigeon")]
    [InlineData("--decision-date", "2026-12-01")]
    [InlineData("--decision-date", "08/12/2026")]
    [InlineData("--holidays", "XX")]
    [InlineData("--holidays", "Germany")]
    public async Task InvalidInputExitsWith2AndOneLineNamingTheOption(string option, string value)
    {
        var args = new List<string>(Onsite);
        var at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);

        var run = await Followupbot.RunAsync([.. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith(option, line);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task HolidaysMoveTheFollowUpOffAPublicHolidayAndKeepTheGrammar()
    {
        string[] args = ["plan", "--interview-end", "2026-12-18T16:30", "--time-zone", "America/New_York", "--format", "video",
            "--interviewer", "Ana Ruiz", "--decision-date", "2026-12-24"];

        var without = Entries(await Followupbot.RunAsync(args));
        var run = await Followupbot.RunAsync([.. args, "--holidays", "US"]);

        Assert.Equal((0, ""), (run.ExitCode, run.Error));
        var with = Entries(run);
        static string FollowUp(JsonElement[] entries) => entries.Single(e => e.GetProperty("kind").GetString() == "follow_up").GetProperty("dueAt").GetString()!;
        Assert.Equal("2026-12-25T10:00:00-05:00", FollowUp(without));
        Assert.Equal("2026-12-28T10:00:00-05:00", FollowUp(with)); // Christmas, then the weekend
        Assert.All(with, e => Assert.Equal(["kind", "dueAt", "interviewer", "text"], e.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task TheConfiguredHolidayCountryIsThePlansDefaultAndNoneTurnsItOff()
    {
        using var folder = new TempFolder();
        File.Copy(Path.Combine(BotConfigFolder.DefaultPath, "playbook.json"), folder.File("playbook.json"));
        File.WriteAllText(folder.File("appsettings.json"), "{ \"Bot\": { \"HolidayCountry\": \"US\" } }");
        string[] args = ["plan", "--config", folder.Path, "--interview-end", "2026-12-18T16:30", "--time-zone", "America/New_York",
            "--format", "video", "--interviewer", "Ana Ruiz", "--decision-date", "2026-12-24"];

        var configured = Entries(await Followupbot.RunAsync(args));
        var none = Entries(await Followupbot.RunAsync([.. args, "--holidays", "none"]));

        Assert.Contains(configured, e => e.GetProperty("dueAt").GetString() == "2026-12-28T10:00:00-05:00");
        Assert.Contains(none, e => e.GetProperty("dueAt").GetString() == "2026-12-25T10:00:00-05:00");

        File.WriteAllText(folder.File("appsettings.json"), "{ \"Bot\": { \"HolidayCountry\": \"Narnia\" } }");
        var bad = await Followupbot.RunAsync(args);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("Bot:HolidayCountry: 'Narnia' is not a country", Assert.Single(bad.ErrorLines));
    }

    [Fact]
    public async Task ItsHelpNamesTheHolidaysOption()
    {
        var run = await Followupbot.RunAsync("plan", "--help");

        Assert.Contains("--holidays <CC>", run.Out);
        Assert.Contains("public holidays", run.Out);
    }

    [Fact]
    public async Task NoInterviewerExitsWith2()
    {
        var run = await Followupbot.RunAsync("plan", "--interview-end", "2026-12-04T16:30", "--time-zone", "UTC", "--format", "video");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--interviewer", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task MoreThanTenInterviewersExitsWith2()
    {
        var args = new List<string> { "plan", "--interview-end", "2026-12-04T16:30", "--time-zone", "UTC", "--format", "video" };
        for (var i = 1; i <= 11; i++) args.AddRange(["--interviewer", $"Person {i}"]);

        var run = await Followupbot.RunAsync([.. args]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("--interviewer", line);
        Assert.Contains("10", line);
    }

    [Fact]
    public async Task AMissingRequiredOptionExitsWith2NamingIt()
    {
        var run = await Followupbot.RunAsync("plan", "--time-zone", "UTC", "--format", "video", "--interviewer", "Ana");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--interview-end", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task ABrokenPlaybookIsOneLineAndExit2()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "playbook.json"), "{ \"version\": ");

        var run = await Followupbot.RunAsync([.. Onsite, "--config", folder.Path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("playbook.json", Assert.Single(run.ErrorLines));
    }
}
