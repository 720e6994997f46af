using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Startup;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// The console's start-up step (<see cref="StartStage.Prepare"/>: after the database migration, before the reconciler
/// and the scheduler deliver): first what an interrupted run left in the outbox is shown (so that the nudges it resumes as possible repeats are
/// recognised), then the zone given with --time-zone is stored as the member's own, so that the nudges delivered at
/// start (those that fell due while the bot was down) already use it and its quiet hours.
/// </summary>
public sealed class ConsoleMemberZone(ConsoleTerminal terminal, ConsoleMailbox mailbox, IMemberRepository members, TimeProvider time)
    : IStartStep
{
    public StartStage Stage => StartStage.Prepare;

    public async Task RunAsync(CancellationToken cancellationToken)
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
}
