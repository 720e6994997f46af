using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Ports;

public interface IMemberRepository
{
    Task<Member?> FindAsync(MemberKey key, CancellationToken cancellationToken);

    Task<Member?> GetAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>Inserts when <see cref="Member.Id"/> is 0 (returning the stored row, also when another
    /// writer inserted the same key first), otherwise updates. Returns the member as stored.</summary>
    Task<Member> SaveAsync(Member member, CancellationToken cancellationToken);
}
