using System.Collections.Concurrent;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FollowUpBot.Host.Tests.SamplePlatform;

/// <summary>
/// A third chat platform, for tests only: what docs/extending.md ("Adding a platform") walks through, in one file.
/// It is on when Sample:Token is set, delivers into memory, takes a member's command line at POST /sample/commands
/// (header X-Sample-User names the member) and answers with the engine's reply text.
/// </summary>
public sealed class SampleModule : IPlatformModule
{
    public const string PlatformName = "sample";

    public string Name => PlatformName;

    public string HowToConfigure => "Sample set FOLLOWUPBOT_Sample__Token (tests only)";

    public IReadOnlyList<OptionsSection> Options { get; } = [new(SampleOptions.Section, typeof(SampleOptions))];

    public bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["Sample:Token"]);

    public void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SampleOptions>().Bind(configuration.GetSection(SampleOptions.Section)).ValidateOnStart();
        services.AddSingleton<SampleChatPlatform>();
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<SampleChatPlatform>());
        services.AddHealthChecks().AddCheck<SampleHealth>(((IPlatformModule)this).HealthCheckName);
    }

    public void Map(IEndpointRouteBuilder endpoints, IConfiguration configuration) =>
        endpoints.MapPost("/sample/commands", (Func<HttpContext, Task<IResult>>)CommandAsync);

    private static async Task<IResult> CommandAsync(HttpContext context)
    {
        var line = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        var from = new MemberContext(new MemberKey(PlatformName, "w1", context.Request.Headers["X-Sample-User"].ToString()), "UTC");
        if (!CommandText.TryParse(line, from, out var command, out var error)) return Results.BadRequest(error);
        var actions = await context.RequestServices.GetRequiredService<IConversationEngine>().HandleAsync(command!, context.RequestAborted);
        return Results.Text(string.Join("\n", actions.OfType<Reply>().Select(r => r.Message.Text)));
    }
}

public sealed class SampleOptions
{
    public const string Section = "Sample";

    public string? Token { get; set; }

    /// <summary>Only so a test can show that a mistyped value is named at start like any other setting.</summary>
    public int Retries { get; set; }
}

/// <summary>Delivers into memory.</summary>
public sealed class SampleChatPlatform : IChatPlatform
{
    public string Name => SampleModule.PlatformName;

    public ConcurrentQueue<DirectMessageRequest> DirectMessages { get; } = new();

    public Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken)
    {
        DirectMessages.Enqueue(request);
        return Task.FromResult(DeliveryResult.Delivered);
    }

    public Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryResult.Delivered);
}

public sealed class SampleHealth : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(HealthCheckResult.Healthy("sample connected"));
}
