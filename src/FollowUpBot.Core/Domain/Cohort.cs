namespace FollowUpBot.Core.Domain;

/// <summary>What a member lets the coaches of one cohort see. Each level includes the one before.</summary>
public enum CohortVisibility
{
    /// <summary>Counts and overdue flags, days since last activity. No companies, roles, dates or outcomes.</summary>
    StatusOnly,
    /// <summary>Also the companies of interviews in progress.</summary>
    WithCompanies,
    /// <summary>Also roles, interview dates and outcomes. Never the member's private debrief notes.</summary>
    FullDetail,
}

/// <summary>
/// A group of members a coach follows from one channel of the coach's platform. Only the coach who created it
/// (<see cref="CoachMemberId"/>) sees its data. <see cref="DigestSchedule"/> is the text form of a
/// <see cref="Cohorts.DigestSchedule"/>, read in <see cref="TimeZoneId"/>. <see cref="Id"/> is 0 until stored.
/// </summary>
public sealed record Cohort(
    long Id,
    string Name,
    string Platform,
    string Workspace,
    string ChannelId,
    long CoachMemberId,
    string JoinCode,
    string TimeZoneId,
    string DigestSchedule,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastDigestAt = null);

/// <summary>A member's consent to be followed in one cohort, at the level they chose there.</summary>
public sealed record CohortMembership(
    long CohortId,
    long MemberId,
    CohortVisibility Visibility,
    string DisplayName,
    DateTimeOffset JoinedAt);

public static class CohortVisibilities
{
    /// <summary>The short names members type and buttons carry: status, companies, full.</summary>
    public static string Name(this CohortVisibility visibility) => visibility switch
    {
        CohortVisibility.StatusOnly => "status",
        CohortVisibility.WithCompanies => "companies",
        _ => "full",
    };

    public static string Describe(this CohortVisibility visibility) => visibility switch
    {
        CohortVisibility.StatusOnly => "status only (counts and overdue flags)",
        CohortVisibility.WithCompanies => "status plus company names",
        _ => "full detail (companies, roles, dates, outcomes; never your notes)",
    };

    public static bool TryParse(string? text, out CohortVisibility visibility)
    {
        visibility = CohortVisibility.StatusOnly;
        switch ((text ?? "").Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-'))
        {
            case "status" or "status-only" or "statusonly":
                visibility = CohortVisibility.StatusOnly;
                return true;
            case "companies" or "with-companies" or "withcompanies" or "company":
                visibility = CohortVisibility.WithCompanies;
                return true;
            case "full" or "full-detail" or "fulldetail" or "detail":
                visibility = CohortVisibility.FullDetail;
                return true;
            default:
                return false;
        }
    }
}
