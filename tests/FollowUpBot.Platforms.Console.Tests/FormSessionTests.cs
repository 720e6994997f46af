using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Console;

namespace FollowUpBot.Platforms.Console.Tests;

public class FormSessionTests
{
    private static readonly FormField Company = new("company", "Company", FormFieldKind.Text, Required: true, Hint: "e.g. Acme");
    private static readonly FormField Format = new("format", "Format", FormFieldKind.Choice, Required: true,
        Choices: [new("phone", "Phone"), new("video", "Video call"), new("onsite", "On site")]);
    private static readonly FormField Invited = new("follow-up-invited", "Follow-up invited?", FormFieldKind.YesNo, Required: false);
    private static readonly FormField Notes = new("notes", "Notes", FormFieldKind.LongText, Required: false);

    [Fact]
    public void AsksEveryFieldOfAFreshFormOneLineAtATime()
    {
        var session = new FormSession(new Form("interview-done", "Interview done", [Company, Format, Notes]));

        var start = session.Start();
        Assert.Equal("Interview done", start[0]);
        Assert.Contains("Company (required) - e.g. Acme", start);

        var afterCompany = session.Answer("Acme");
        Assert.False(afterCompany.IsComplete);
        Assert.Equal("Format (required)", afterCompany.Lines[0]);
        Assert.Equal("  Choices: phone, video (Video call), onsite (On site)", afterCompany.Lines[1]);

        Assert.False(session.Answer("onsite").IsComplete);
        var done = session.Answer("Went well");
        Assert.True(done.IsComplete);
        Assert.Equal("Acme", done.Submit!["company"]);
        Assert.Equal("onsite", done.Submit["format"]);
        Assert.Equal("Went well", done.Submit["notes"]);
    }

    [Fact]
    public void AnEmptyLineSkipsAnOptionalFieldButAsksARequiredOneAgain()
    {
        var session = new FormSession(new Form("f", "Form", [Company, Notes]));
        session.Start();

        var again = session.Answer("   ");
        Assert.False(again.IsComplete);
        Assert.Equal("This one is required.", again.Lines[0]);
        Assert.Equal(Company, session.Current);

        session.Answer("Acme");
        var done = session.Answer("");
        Assert.True(done.IsComplete);
        Assert.Equal("", done.Submit!["notes"]);
    }

    [Theory]
    [InlineData("On site", "onsite")]
    [InlineData("VIDEO", "video")]
    [InlineData("1", "phone")]
    [InlineData("zoom", "zoom")]
    public void AChoiceAcceptsItsValueLabelOrNumberAndPassesAnythingElseOnAsTyped(string typed, string submitted)
    {
        var session = new FormSession(new Form("f", "Form", [Format]));
        session.Start();
        Assert.Equal(submitted, session.Answer(typed).Submit!["format"]);
    }

    [Theory]
    [InlineData("y", "yes")]
    [InlineData("No", "no")]
    [InlineData("maybe", "maybe")]
    public void YesNoAcceptsShortAnswers(string typed, string submitted)
    {
        var session = new FormSession(new Form("f", "Form", [Invited]));
        session.Start();
        Assert.Equal(submitted, session.Answer(typed).Submit!["follow-up-invited"]);
    }

    [Fact]
    public void AfterARejectedSubmitOnlyTheFieldsInErrorAreAskedWithWhatWasTyped()
    {
        var rejected = new Form("f", "Form",
        [
            Company with { Value = "Acme" },
            new FormField("decision-date", "Decision date", FormFieldKind.Date, Required: false, Value: "someday",
                Error: "Write a date like 2026-12-08 or \"not said\"."),
        ]);
        var session = new FormSession(rejected);

        var start = session.Start();
        Assert.Equal("Some answers need another look:", start[0]);
        Assert.Contains("- Decision date: Write a date like 2026-12-08 or \"not said\".", start);
        Assert.Contains("  You typed: someday", start);
        Assert.DoesNotContain(start, l => l.StartsWith("Company", StringComparison.Ordinal));

        var done = session.Answer("2026-12-08");
        Assert.True(done.IsComplete);
        Assert.Equal("2026-12-08", done.Submit!["decision-date"]);
        Assert.Equal("Acme", done.Submit["company"]);
    }

    [Fact]
    public void AnEmptyLineKeepsAPrefilledValue()
    {
        var session = new FormSession(new Form("f", "Form", [Format with { Value = "video" }]));
        var start = session.Start();
        Assert.Contains("Format (Enter keeps it)", start);
        Assert.Equal("video", session.Answer("").Submit!["format"]);
    }
}
