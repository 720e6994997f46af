using System.Security.Cryptography;
using System.Text;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Discord.Commands;
using FollowUpBot.Platforms.Discord.Gateway;
using FollowUpBot.Platforms.Discord.Interactions;
using FollowUpBot.Platforms.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// At start: learn the application id, register the commands (once per deployment and set of commands: see
/// <see cref="DiscordOptions.RegisterCommands"/>), and (gateway mode) keep this instance's shards connected.
/// </summary>
public sealed class DiscordBotService(
    DiscordRestClient rest,
    DiscordApplication application,
    DiscordShards shards,
    InteractionHandler interactions,
    TransportClock clock,
    IServiceProvider services,
    IOptions<DiscordOptions> options,
    ILogger<DiscordBotService> logger) : BackgroundService
{
    /// <summary>How long one instance may take over the registration before another may try (it died meanwhile).</summary>
    private static readonly TimeSpan RegistrationLease = TimeSpan.FromMinutes(2);

    private readonly DiscordOptions _options = options.Value;

    /// <summary>Completes when the commands are registered (or registration gave up).</summary>
    public Task CommandsRegistered { get; private set; } = Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (_options.RegisterCommands != false) CommandsRegistered = RegisterCommandsAsync(stoppingToken);
        else logger.LogInformation("Discord commands are not registered by this instance (Discord:RegisterCommands is false)");
        if (_options.ApplicationId is { Length: > 0 } configured) application.Learn(configured);
        else await LearnApplicationIdAsync(stoppingToken).ConfigureAwait(false);

        if (_options.Mode == DiscordMode.Gateway) await shards.RunAsync(stoppingToken).ConfigureAwait(false);
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
        var commands = DiscordCommands.All(guildOnly: guild is not null);
        var leases = _options.RegisterCommands is null ? services.GetService<ILeaseStore>() : null;
        if (leases is null && _options.RegisterCommands is null && (_options.ShardId ?? 0) != 0)
        {
            // No shared database to hold the mark (the adapter alone): the instance on shard 0 speaks for the bot.
            logger.LogInformation("Discord commands are not registered by this instance (shard {Shard}; see Discord:RegisterCommands)", _options.ShardId);
            return;
        }
        // The mark names the application and exactly what is sent, so a new version's commands are registered once
        // more, by the first instance that starts with them.
        var mark = $"discord:commands:{applicationId}:{Hash(route.Method + " " + route.Path + "\n" + commands.ToJsonString())}";
        if (leases is not null &&
            !await leases.TryAcquireAsync(mark, shards.HolderId, clock.Time.GetUtcNow(), RegistrationLease, clock.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("Discord commands are already registered for this version (or being registered by another instance); not overwritten");
            return;
        }
        var response = await rest.SendAsync(route, commands, cancellationToken).ConfigureAwait(false);
        if (leases is not null)
        {
            // Kept for good once done; given back after a failure, so the next start tries again.
            if (response.IsSuccess)
                await leases.TryAcquireAsync(mark, shards.HolderId, clock.Time.GetUtcNow(), TimeSpan.MaxValue, clock.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            else
                await leases.ReleaseAsync(mark, shards.HolderId, CancellationToken.None).ConfigureAwait(false);
        }
        if (response.IsSuccess)
            logger.LogInformation("Discord commands registered {Where}", guild is null ? "globally" : $"in server {guild}");
        else if (response.Error is not PlatformRefused)
            // Nothing answered: say what was tried, not that Discord said no.
            logger.LogError("Could not register the Discord commands: {Problem}", response.Describe());
        else
            logger.LogError("Discord refused the command registration: {Problem} {Errors}", response.Describe(),
                response.Body?.TryGetProperty("errors", out var errors) == true ? errors.GetRawText() : "");
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
