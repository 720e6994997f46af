namespace FollowUpBot.Host;

/// <summary>The process's standard streams, injectable so tests run the whole program in-process.</summary>
public sealed record HostTerminal(TextReader In, TextWriter Out, TextWriter Error, bool IsInteractive)
{
    public static HostTerminal FromConsole() =>
        new(Console.In, Console.Out, Console.Error, IsInteractive: !Console.IsInputRedirected);
}
