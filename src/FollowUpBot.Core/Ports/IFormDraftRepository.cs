namespace FollowUpBot.Core.Ports;

/// <summary>What a member has typed into a form so far, kept so that nothing entered is lost.</summary>
public interface IFormDraftRepository
{
    Task<IReadOnlyDictionary<string, string>?> FindAsync(long memberId, string formId, CancellationToken cancellationToken);

    Task SaveAsync(long memberId, string formId, IReadOnlyDictionary<string, string> values, DateTimeOffset at,
        CancellationToken cancellationToken);

    Task DeleteAsync(long memberId, string formId, CancellationToken cancellationToken);
}
