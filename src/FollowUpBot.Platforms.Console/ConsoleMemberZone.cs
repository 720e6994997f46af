using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// Stores the zone given with --time-zone as the member's own. It runs as a hosted service between the
/// database migration and the scheduler's start, so that the nudges delivered at start (those that fell due
/// while the bot was down) already use the new zone and its quiet hours.
/// </summary>
public sealed class ConsoleMemberZone(ConsoleTerminal terminal, IMemberRepository members, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (terminal.TimeZoneId is not { } zone) return;
        var now = time.GetUtcNow();
        var member = await members.FindAsync(terminal.Member, cancellationToken);
        member = member is null
            ? new Member(0, terminal.Member, zone, QuietHours.Default, TimeZoneSetByMember: true, now, now)
            : member with { TimeZoneId = zone, TimeZoneSetByMember = true };
        await members.SaveAsync(member, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
