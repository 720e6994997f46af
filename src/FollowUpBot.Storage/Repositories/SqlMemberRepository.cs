using System.Data.Common;
using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Repositories;

public sealed class SqlMemberRepository(IDbConnectionFactory connections) : IMemberRepository
{
    internal const string Columns = """
        id AS Id, platform AS Platform, workspace AS Workspace, user_id AS UserId, time_zone AS TimeZone,
        quiet_start AS QuietStart, quiet_end AS QuietEnd, time_zone_set_by_member AS TimeZoneSetByMember,
        created_at AS CreatedAt, last_active_at AS LastActiveAt, unreachable_since AS UnreachableSince,
        unreachable_notice_pending AS UnreachableNoticePending, holiday_country AS HolidayCountry
        """;

    public async Task<Member?> FindAsync(MemberKey key, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await FindAsync(connection, key, cancellationToken);
    }

    public async Task<Member?> GetAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            $"SELECT {Columns} FROM members WHERE id = @memberId", new { memberId }, cancellationToken: cancellationToken));
        return row?.ToMember();
    }

    public async Task<Member> SaveAsync(Member member, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var values = MemberRow.Parameters(member);
        if (member.Id == 0)
        {
            // A second writer that inserted the same key first wins; both callers get its row (the winner from the
            // insert itself, the other from a read, since a skipped insert returns nothing).
            var inserted = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition($"""
                INSERT INTO members (platform, workspace, user_id, time_zone, quiet_start, quiet_end, time_zone_set_by_member,
                                     created_at, last_active_at, unreachable_since, unreachable_notice_pending, holiday_country)
                VALUES (@Platform, @Workspace, @UserId, @TimeZone, @QuietStart, @QuietEnd, @TimeZoneSetByMember,
                        @CreatedAt, @LastActiveAt, @UnreachableSince, @UnreachableNoticePending, @HolidayCountry)
                ON CONFLICT (platform, workspace, user_id) DO NOTHING
                RETURNING {Columns}
                """, values, cancellationToken: cancellationToken));
            return inserted?.ToMember()
                ?? await FindAsync(connection, member.Key, cancellationToken)
                ?? throw new InvalidOperationException("The member row vanished right after it was written.");
        }

        // Commands save their member (zone, last active): the row as stored comes back with the update, in one
        // round trip rather than an UPDATE and a SELECT.
        var stored = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition($"""
            UPDATE members SET time_zone = @TimeZone, quiet_start = @QuietStart, quiet_end = @QuietEnd,
                time_zone_set_by_member = @TimeZoneSetByMember, last_active_at = @LastActiveAt,
                unreachable_since = @UnreachableSince, unreachable_notice_pending = @UnreachableNoticePending,
                holiday_country = @HolidayCountry
            WHERE id = @Id
            RETURNING {Columns}
            """, values, cancellationToken: cancellationToken));
        return stored?.ToMember() ?? throw new InvalidOperationException($"Member {member.Id} does not exist.");
    }

    private static async Task<Member?> FindAsync(DbConnection connection, MemberKey key, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            $"SELECT {Columns} FROM members WHERE platform = @Platform AND workspace = @Workspace AND user_id = @UserId",
            new { key.Platform, key.Workspace, key.UserId }, cancellationToken: cancellationToken));
        return row?.ToMember();
    }

    internal sealed class MemberRow
    {
        public long Id { get; set; }
        public string Platform { get; set; } = "";
        public string Workspace { get; set; } = "";
        public string UserId { get; set; } = "";
        public string TimeZone { get; set; } = "";
        public string QuietStart { get; set; } = "";
        public string QuietEnd { get; set; } = "";
        public bool TimeZoneSetByMember { get; set; }
        public string CreatedAt { get; set; } = "";
        public string LastActiveAt { get; set; } = "";
        public string? UnreachableSince { get; set; }
        public bool UnreachableNoticePending { get; set; }
        public string? HolidayCountry { get; set; }

        public Member ToMember() => new(
            Id,
            new MemberKey(Platform, Workspace, UserId),
            TimeZone,
            new QuietHours(StoredValues.ParseTimeOfDay(QuietStart), StoredValues.ParseTimeOfDay(QuietEnd)),
            TimeZoneSetByMember,
            StoredValues.ParseTime(CreatedAt),
            StoredValues.ParseTime(LastActiveAt),
            StoredValues.ParseOptionalTime(UnreachableSince),
            UnreachableNoticePending,
            HolidayCountry);

        public static object Parameters(Member m) => new
        {
            m.Id,
            m.Key.Platform,
            m.Key.Workspace,
            m.Key.UserId,
            TimeZone = m.TimeZoneId,
            QuietStart = StoredValues.TimeOfDay(m.QuietHours.Start),
            QuietEnd = StoredValues.TimeOfDay(m.QuietHours.End),
            m.TimeZoneSetByMember,
            CreatedAt = StoredValues.Time(m.CreatedAt),
            LastActiveAt = StoredValues.Time(m.LastActiveAt),
            UnreachableSince = StoredValues.Time(m.UnreachableSince),
            m.UnreachableNoticePending,
            m.HolidayCountry,
        };
    }
}
