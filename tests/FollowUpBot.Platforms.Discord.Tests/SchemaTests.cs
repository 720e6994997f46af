using System.Text.Json.Nodes;
using FollowUpBot.Platforms.Discord.Tests.Fakes;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>The schema checks elsewhere only mean something if the validator does reject wrong bodies.</summary>
public sealed class SchemaTests
{
    [Fact]
    public void TheOpenApiValidatorRejectsBodiesDiscordWouldRefuse()
    {
        Assert.NotEmpty(DiscordSchema.Errors("ApplicationCommandUpdateRequest",
            JsonNode.Parse("""{"name":"a-name-that-is-far-too-long-for-discord","type":1,"description":"x"}""")));
        Assert.NotEmpty(DiscordSchema.Errors("MessageCreateRequest",
            JsonNode.Parse("""{"content":"x","components":[{"type":1,"components":[{"type":2,"style":9,"label":"x","custom_id":"y"}]}]}""")));
        Assert.NotEmpty(DiscordSchema.Errors("ModalInteractionCallbackRequest",
            JsonNode.Parse("""{"type":9,"data":{"custom_id":"m","title":"a title that is much longer than forty-five characters","components":[]}}""")));
        Assert.NotEmpty(DiscordSchema.Errors("CreatePrivateChannelRequest", JsonNode.Parse("""{"recipient_id":12}""")));
        Assert.Empty(DiscordSchema.Errors("CreatePrivateChannelRequest", JsonNode.Parse("""{"recipient_id":"12"}""")));
    }
}
