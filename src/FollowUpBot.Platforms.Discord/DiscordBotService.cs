using FollowUpBot.Platforms.Discord.Commands;
using FollowUpBot.Platforms.Discord.Gateway;
using FollowUpBot.Platforms.Discord.Interactions;
using FollowUpBot.Platforms.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// At start: learn the application id, register the commands (one instance per bot: see
/// <see cref="DiscordOptions.RegisterCommands"/>), and (gateway mode) keep the gateway connected.
/// </summary>
public sealed class DiscordBotService(
    DiscordRestClient rest,
    DiscordApplication application,
    DiscordGateway gateway,
    InteractionHandler interactions,
    IOptions<DiscordOptions> options,
    ILogger<DiscordBotService> logger) : BackgroundService
{
    private readonly DiscordOptions _options = options.Value;

    /// <summary>Completes when the commands are registered (or registration gave up).</summary>
    public Task CommandsRegistered { get; private set; } = Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (_options.RegistersCommands) CommandsRegistered = RegisterCommandsAsync(stoppingToken);
        else logger.LogInformation("Discord commands are not registered by this instance (shard {Shard}; see Discord:RegisterCommands)", _options.ShardId);
        if (_options.ApplicationId is { Length: > 0 } configured) application.Learn(configured);
        else await LearnApplicationIdAsync(stoppingToken).ConfigureAwait(false);

        if (_options.Mode == DiscordMode.Gateway) await gateway.RunAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await CommandsRegistered.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await interactions.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task LearnApplicationIdAsync(CancellationToken cancellationToken)
    {
        var response = await rest.SendAsync(DiscordRoutes.CurrentApplication(), null, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess && response.GetString("id") is { Length: > 0 } id) application.Learn(id);
        else if (_options.Mode == DiscordMode.Http)
            logger.LogError("Could not read the application id from Discord ({Problem}); set Discord:ApplicationId", response.Describe());
        // In gateway mode READY carries the id as well.
    }

    private async Task RegisterCommandsAsync(CancellationToken cancellationToken)
    {
        var applicationId = await application.WaitAsync(cancellationToken).ConfigureAwait(false);
        var guild = _options.GuildId is { Length: > 0 } g ? g : null;
        var route = guild is null ? DiscordRoutes.OverwriteGlobalCommands(applicationId) : DiscordRoutes.OverwriteGuildCommands(applicationId, guild);
        var response = await rest.SendAsync(route, DiscordCommands.All(guildOnly: guild is not null), cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
            logger.LogInformation("Discord commands registered {Where}", guild is null ? "globally" : $"in server {guild}");
        else if (response.Status == 0)
            // Nothing answered: say what was tried, not that Discord said no.
            logger.LogError("Could not register the Discord commands: {Problem}", response.Describe());
        else
            logger.LogError("Discord refused the command registration: {Problem} {Errors}", response.Describe(),
                response.Body?.TryGetProperty("errors", out var errors) == true ? errors.GetRawText() : "");
    }
}
