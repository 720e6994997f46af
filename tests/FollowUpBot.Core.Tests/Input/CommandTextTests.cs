using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;

namespace FollowUpBot.Core.Tests.Input;

public sealed class CommandTextTests
{
    private static readonly MemberContext Ana = new(new MemberKey("test", "w", "u1"));

    private static SlashCommand Parse(string line)
    {
        Assert.True(CommandText.TryParse(line, Ana, out var command, out var error), error);
        return command!;
    }

    private static string Fails(string line)
    {
        Assert.False(CommandText.TryParse(line, Ana, out var command, out var error));
        Assert.Null(command);
        return error!;
    }

    [Fact]
    public void TheIssueExampleParsesIntoNameAndOptions()
    {
        var command = Parse("/interview done company:\"Acme\" role:\"Backend Engineer\" interviewers:\"Ana Ruiz, Ben Ode\" " +
                            "format:onsite decision-date:2026-12-08 follow-up-invited:no references:\"Kim Lee\"");

        Assert.Equal("interview done", command.Name);
        Assert.Same(Ana, command.From);
        Assert.Equal(new Dictionary<string, string>
        {
            ["company"] = "Acme", ["role"] = "Backend Engineer", ["interviewers"] = "Ana Ruiz, Ben Ode", ["format"] = "onsite",
            ["decision-date"] = "2026-12-08", ["follow-up-invited"] = "no", ["references"] = "Kim Lee",
        }, command.Options);
    }

    [Theory]
    [InlineData("/interview done company:“Acme Corp” role:‘Lead Dev’")]
    [InlineData("/interview done company:\"Acme Corp\" role:'Lead Dev'")]
    [InlineData("/interview done company:„Acme Corp“ role:’Lead Dev’")]
    public void CurlyAndStraightQuotesBothWork(string line)
    {
        var command = Parse(line);
        Assert.Equal("Acme Corp", command.Options["company"]);
        Assert.Equal("Lead Dev", command.Options["role"]);
    }

    [Fact]
    public void QuotesInsideAValueOfTheOtherKindStay()
    {
        var command = Parse("/interview done company:\"O'Reilly’s\" notes:'She said \"soon\"'");
        Assert.Equal("O'Reilly’s", command.Options["company"]);
        Assert.Equal("She said \"soon\"", command.Options["notes"]);
    }

    [Fact]
    public void OptionNamesAreCaseInsensitiveAndUnderscoresCount()
    {
        var command = Parse("/Interview DONE Company:Acme DECISION_DATE:tomorrow");
        Assert.Equal("interview done", command.Name);
        Assert.Equal("Acme", command.Options["company"]);
        Assert.Equal("tomorrow", command.Options["decision-date"]);
    }

    [Fact]
    public void UnquotedValueRunsToTheNextSpaceAndKeepsColons()
    {
        var command = Parse("/followup settings quiet-hours:22:00-07:30 time-zone:Europe/Berlin");
        Assert.Equal("22:00-07:30", command.Options["quiet-hours"]);
        Assert.Equal("Europe/Berlin", command.Options["time-zone"]);
    }

    [Fact]
    public void ASpaceAfterTheColonIsForgiven()
    {
        var command = Parse("/interview done company: Acme notes: format:video");
        Assert.Equal("Acme", command.Options["company"]);
        Assert.Equal("", command.Options["notes"]);
        Assert.Equal("video", command.Options["format"]);
    }

    [Fact]
    public void SlackSendsCommandAndTextApart()
    {
        Assert.True(CommandText.TryParse("/interview", "outcome id:2 result:offer", Ana, out var command, out _));
        Assert.Equal("interview outcome", command!.Name);
        Assert.Equal("2", command.Options["id"]);
        Assert.True(CommandText.TryParse("/interview", "list", Ana, out command, out _));
        Assert.Equal("interview list", command!.Name);
        Assert.Empty(command.Options);
    }

    [Fact]
    public void ACommandWithoutTheSlashWorksToo() => Assert.Equal("followup help", Parse("followup help").Name);

    [Fact]
    public void UnknownCommandNamesTheKnownOnes()
    {
        var error = Fails("/intervew done");
        Assert.Contains("/intervew", error);
        Assert.Contains("/interview", error);
        Assert.Contains("/followup help", error);
    }

    [Fact]
    public void UnknownSubCommandListsTheSubCommandsWithAnExample()
    {
        var error = Fails("/interview finished company:Acme");
        Assert.Contains("\"finished\"", error);
        Assert.Contains("done, list, show, outcome, followup, forget", error);
        Assert.Contains("/interview done company:", error);
    }

    [Fact]
    public void MissingSubCommandSaysWhichAreThere()
    {
        var error = Fails("/followup");
        Assert.Contains("settings, help", error);
        Assert.Contains("settings", Fails("/followup time-zone:UTC"));
    }

    [Fact]
    public void UnknownOptionNamesItAndTheKnownOnes()
    {
        var error = Fails("/interview outcome id:2 reslt:offer");
        Assert.Contains("\"reslt\"", error);
        Assert.Contains("id, result, next-round, deadline", error);
        Assert.Contains("/interview outcome id:2 result:next-round next-round:2026-12-15T10:00", error);
    }

    [Fact]
    public void RepeatedOptionIsRefused()
    {
        var error = Fails("/interview done company:Acme Company:Beta");
        Assert.Contains("company twice", error);
        Assert.Contains("\"Acme\"", error);
        Assert.Contains("\"Beta\"", error);
    }

    [Fact]
    public void UnterminatedQuoteIsRefusedNamingTheOption()
    {
        var error = Fails("/interview done company:\"Acme format:onsite");
        Assert.Contains("company", error);
        Assert.Contains("never closed", error);
    }

    [Fact]
    public void AStrayWordSuggestsQuoting()
    {
        var error = Fails("/interview done company:Acme Corp format:onsite");
        Assert.Contains("\"Corp\"", error);
        Assert.Contains("quotes", error);
    }

    [Fact]
    public void ACommandWithoutOptionsRefusesExtraWords() =>
        Assert.Contains("takes nothing", Fails("/interview list everything"));

    [Fact]
    public void EmptyLineAsksForACommand() => Assert.Contains("/followup help", Fails("   "));

    [Fact]
    public void CatalogChecksPlatformParsedCommandsTheSameWay()
    {
        Assert.Null(CommandCatalog.Check("interview done", ["company", "Decision-Date"]));
        Assert.Contains("\"colour\"", CommandCatalog.Check("interview done", ["colour"]));
        Assert.Contains("no sub-command", CommandCatalog.Check("interview redo", []));
        Assert.Contains("don't know", CommandCatalog.Check("weather today", []));
    }
}
