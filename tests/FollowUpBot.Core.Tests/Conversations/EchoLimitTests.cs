using System.Text.Json;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Input;

namespace FollowUpBot.Core.Tests.Conversations;

/// <summary>Whatever a member types, an answer quotes at most a short piece of it back.</summary>
public sealed class EchoLimitTests
{
    private static int Size(IEnumerable<OutboundAction> actions) => actions.Sum(a => JsonSerializer.Serialize<object>(a).Length);

    [Fact]
    public async Task ATenThousandCharacterCompanyIsRefusedWithoutBeingEchoedWhole()
    {
        var fixture = new EngineFixture();
        var company = new string('x', 10_000);

        var actions = await fixture.Command($"/interview done company:\"{company}\" interviewers:\"Ana Ruiz\" format:video");

        Assert.True(Size(actions) < 4_000, $"the answer is {Size(actions)} characters long");
        Assert.Empty(fixture.Store.Interviews);
    }

    [Theory]
    [InlineData("/interview ")]
    [InlineData("/cohort ")]
    [InlineData("/nosuchcommand")]
    [InlineData("/interview done ")]
    [InlineData("/interview done company:Acme company:")]
    [InlineData("/interview done company:\"")]
    public void AnEnormousUnknownCommandIsNeverQuotedWhole(string prefix)
    {
        var typed = prefix + new string('y', 900_000);

        var parsed = CommandText.TryParse(typed, new MemberContext(new("test", "w", "u")), out _, out var error);

        Assert.False(parsed);
        Assert.True(error!.Length < 1_000, $"the error is {error.Length} characters long");
    }
}
