using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Testing;

/// <summary>Every log line at every level, with exceptions, so tests can look for what must never be logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<(EventId Id, string Line)> _entries = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    /// <summary>The same lines with their event ids, for the ids the adapters' source-generated log lines carry.</summary>
    public IReadOnlyList<(EventId Id, string Line)> Entries => _entries.ToList();

    public string All => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<(EventId, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}";
            entries.Enqueue((eventId, line));
            lines.Enqueue(line);
        }
    }
}
