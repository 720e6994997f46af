namespace FollowUpBot.Core.Ports;

/// <summary>
/// Interaction ids already taken on, shared by every instance: the first caller for an id gets true and runs it;
/// anyone later (a replayed request, a second instance) gets false and must not run it again.
/// </summary>
public interface IHandledInteractions
{
    /// <summary>Claims <paramref name="interactionId"/>; ids claimed before <paramref name="forgetBefore"/> are forgotten.</summary>
    Task<bool> TryClaimAsync(string platform, string interactionId, DateTimeOffset now, DateTimeOffset forgetBefore,
        CancellationToken cancellationToken);

    /// <summary>
    /// Whether an interaction handled under <see cref="InteractionKey"/> committed its effects (with its key) already,
    /// on any instance.
    /// </summary>
    Task<bool> IsHandledAsync(string platform, string interactionId, CancellationToken cancellationToken);
}

/// <summary>
/// The interaction being handled on this asynchronous flow, when the platform may deliver it again (Slack redelivers
/// a command whose ack was late, possibly to another instance). Storage writes the key in the same transaction as the
/// effects it commits for the flow (an interview stored, edited, re-planned or forgotten; a member's data deleted), so
/// a redelivery finds the key exactly when the effects are there: it then runs nothing, and otherwise runs in full.
/// </summary>
public sealed class InteractionKey
{
    private static readonly AsyncLocal<InteractionKey?> CurrentKey = new();

    private InteractionKey(string platform, string id, DateTimeOffset at)
    {
        Platform = platform;
        Id = id;
        At = at;
    }

    public string Platform { get; }

    public string Id { get; }

    public DateTimeOffset At { get; }

    /// <summary>Tells this flow's own transactions (which record the key once each) from another flow's.</summary>
    public string Owner { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The key of the interaction this flow handles, if any.</summary>
    public static InteractionKey? Current => CurrentKey.Value;

    /// <summary>Handles what follows (until disposed) as the interaction <paramref name="id"/>.</summary>
    public static IDisposable Enter(string platform, string id, DateTimeOffset at)
    {
        var previous = CurrentKey.Value;
        CurrentKey.Value = new InteractionKey(platform, id, at);
        return new Exit(previous);
    }

    private sealed class Exit(InteractionKey? previous) : IDisposable
    {
        public void Dispose() => CurrentKey.Value = previous;
    }
}

/// <summary>
/// Thrown by storage when the transaction about to commit belongs to an interaction another flow (another delivery of
/// it) has committed already: the transaction is rolled back and this delivery runs nothing more.
/// </summary>
public sealed class InteractionAlreadyHandledException(string platform, string id)
    : Exception($"{platform} interaction {id} was handled already (a redelivery)");
