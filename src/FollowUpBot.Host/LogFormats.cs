using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Host;

/// <summary>
/// Logging:Format: <c>text</c> (the default: one line per entry, an exception as its type and message, its stack
/// only when Logging:LogLevel:Default is Debug or Trace) or <c>json</c> (one JSON object per line, for log shippers).
/// Either way every log line goes to stderr: stdout belongs to the chat and to <c>plan</c>'s JSON.
/// </summary>
public static class LogFormats
{
    public const string Text = "text";
    public const string Json = "json";

    public static void AddBotLogging(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        // The host's own "failed to start" entry repeats, with a stack, what the one line on stderr already says.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (string.Equals(configuration["Logging:Format"], Json, StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
            return;
        }
        var stacks = Enum.TryParse<LogLevel>(configuration["Logging:LogLevel:Default"], ignoreCase: true, out var level) && level <= LogLevel.Debug;
        logging.AddConsole(o => o.FormatterName = CompactFormatter.FormatterName)
            .AddConsoleFormatter<CompactFormatter, CompactFormatterOptions>(o => o.StackTraces = stacks);
    }
}

public sealed class CompactFormatterOptions : ConsoleFormatterOptions
{
    public bool StackTraces { get; set; }
}

/// <summary>One line per entry: <c>2026-12-04T16:30:00Z warn FollowUpBot.Scheduling.NudgeJob: message (IOException: cause)</c>.</summary>
internal sealed class CompactFormatter(IOptionsMonitor<CompactFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "followupbot";

    public override void Write<TState>(in LogEntry<TState> entry, Microsoft.Extensions.Logging.IExternalScopeProvider? scopeProvider, TextWriter writer)
    {
        var message = entry.Formatter(entry.State, entry.Exception);
        if (message is null && entry.Exception is null) return;
        writer.Write(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        writer.Write(' ');
        writer.Write(Level(entry.LogLevel));
        writer.Write(' ');
        writer.Write(entry.Category);
        writer.Write(": ");
        writer.Write(OneLine(message ?? ""));
        if (entry.Exception is { } e)
        {
            if (options.CurrentValue.StackTraces)
            {
                writer.WriteLine();
                writer.Write(e.ToString());
            }
            else
            {
                writer.Write($" ({e.GetType().Name}: {OneLine(e.Message)})");
            }
        }
        writer.WriteLine();
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private static string OneLine(string text) => BotConfigFolder.OneLine(text);
}
