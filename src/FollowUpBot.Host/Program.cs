using System.Runtime.InteropServices;
using FollowUpBot.Host;

// followupbot [run] | console | plan: the commands and their options live in BotCommandLine.
// Ctrl-C, SIGTERM and SIGQUIT ask for a clean stop (work in flight finishes or is left to the reconciler, within
// 5 s); a second Ctrl-C ends the process at once.
using var stopping = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    if (stopping.IsCancellationRequested) return;
    context.Cancel = true;
    stopping.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
return await BotCommandLine.InvokeAsync(args, HostTerminal.FromConsole(), stopping.Token);
