using System.Text.Json.Nodes;
using FollowUpBot.Platforms.Discord.Rest;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>Sends the first response to an interaction: over REST (gateway mode) or in the HTTP answer (HTTP mode).</summary>
public interface IInitialResponder
{
    Task<bool> RespondAsync(DiscordInteraction interaction, JsonObject callback, CancellationToken cancellationToken);
}

public sealed class GatewayInitialResponder(DiscordRestClient rest) : IInitialResponder
{
    public async Task<bool> RespondAsync(DiscordInteraction interaction, JsonObject callback, CancellationToken cancellationToken)
    {
        var response = await rest.SendAsync(DiscordRoutes.InteractionCallback(interaction.Id, interaction.Token), callback, cancellationToken)
            .ConfigureAwait(false);
        return response.IsSuccess;
    }
}

/// <summary>HTTP mode: the endpoint waits for the first response and writes it as its own HTTP answer.</summary>
public sealed class HttpInitialResponder : IInitialResponder
{
    private readonly TaskCompletionSource<JsonObject> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<JsonObject> Response => _response.Task;

    public Task<bool> RespondAsync(DiscordInteraction interaction, JsonObject callback, CancellationToken cancellationToken) =>
        Task.FromResult(_response.TrySetResult(callback));

    public void Abandon() => _response.TrySetCanceled();
}
