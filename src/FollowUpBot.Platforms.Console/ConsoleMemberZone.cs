using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// The console's start-up step, run as a hosted service between the database migration and the scheduler's start:
/// first what an interrupted run left in the outbox is shown (so that the nudges it resumes as possible repeats are
/// recognised), then the zone given with --time-zone is stored as the member's own, so that the nudges delivered at
/// start (those that fell due while the bot was down) already use it and its quiet hours.
/// </summary>
public sealed class ConsoleMemberZone(ConsoleTerminal terminal, ConsoleMailbox mailbox, IMemberRepository members, TimeProvider time)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        mailbox.Recover();
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
