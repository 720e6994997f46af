namespace FollowUpBot.Platforms.Discord;

/// <summary>The bot's application id: from configuration, else READY or GET /applications/@me.</summary>
public sealed class DiscordApplication
{
    private readonly TaskCompletionSource<string> _id = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Id => _id.Task.IsCompletedSuccessfully ? _id.Task.Result : null;

    public void Learn(string id) => _id.TrySetResult(id);

    public Task<string> WaitAsync(CancellationToken cancellationToken) => _id.Task.WaitAsync(cancellationToken);
}
