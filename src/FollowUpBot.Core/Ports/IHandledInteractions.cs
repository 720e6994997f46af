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
}
