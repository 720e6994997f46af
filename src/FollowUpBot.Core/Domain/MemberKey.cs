namespace FollowUpBot.Core.Domain;

/// <summary>
/// Who a member is on the platform that brought them. The platform is an opaque name chosen by its
/// adapter ("console", "discord", ...); Core never branches on it.
/// </summary>
public sealed record MemberKey(string Platform, string Workspace, string UserId)
{
    public override string ToString() => $"{Platform}:{Workspace}:{UserId}";
}
