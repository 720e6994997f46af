using System.Text.Json;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// Nudges the console has taken on but not yet printed (the simulated clock holds them for the chat's quiet points),
/// kept in a file beside the database: each is written and flushed there before the platform reports it delivered,
/// and the file is emptied once they are printed. A process killed in between finds them at the next start and
/// shows them, marked as possible repeats, so a nudge recorded as sent has always reached the screen or this file.
/// </summary>
public sealed class ConsoleOutbox(string? path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly object _gate = new();

    public void Append(DirectMessageRequest request)
    {
        if (path is null) return;
        var entry = new Entry(request.DeliveryKey, request.Nudge?.Kind, request.Nudge?.LocalDueAt, request.Nudge?.Late ?? false,
            request.Message.Text, request.Message.Buttons.Select(b => new EntryButton(b.Id, b.Label, b.Style)).ToList());
        var line = JsonSerializer.Serialize(entry, Json) + "\n";
        lock (_gate)
        {
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            file.Write(System.Text.Encoding.UTF8.GetBytes(line));
            // To the operating system: a killed process loses nothing written so far (only a power cut could).
            file.Flush();
        }
    }

    /// <summary>Everything held is on the screen now.</summary>
    public void Clear()
    {
        if (path is null) return;
        lock (_gate)
        {
            if (File.Exists(path)) File.WriteAllBytes(path, []);
        }
    }

    /// <summary>What an earlier run took on and may not have printed, as possible repeats; the file is then emptied.</summary>
    public IReadOnlyList<HeldMessage> Recover()
    {
        if (path is null || !File.Exists(path)) return [];
        var recovered = new List<HeldMessage>();
        lock (_gate)
        {
            foreach (var line in File.ReadAllLines(path))
            {
                Entry? entry;
                try
                {
                    entry = JsonSerializer.Deserialize<Entry>(line, Json);
                }
                catch (JsonException)
                {
                    continue; // a line cut off by the kill: its nudge is still in sending and is resumed
                }
                if (entry is null) continue;
                var message = new Message(entry.Text, entry.Buttons.Select(b => new Button(b.Id, b.Label, b.Style)).ToList());
                var header = entry.Kind is { } kind && entry.DueAt is { } due ? new NudgeHeader(kind, due, entry.Late) : null;
                recovered.Add(new HeldMessage(entry.Key, header, message));
            }
        }
        return recovered;
    }

    /// <summary>A message found in the outbox at start.</summary>
    public sealed record HeldMessage(string DeliveryKey, NudgeHeader? Header, Message Message);

    private sealed record Entry(string Key, NudgeKind? Kind, DateTimeOffset? DueAt, bool Late, string Text, List<EntryButton> Buttons);

    private sealed record EntryButton(string Id, string Label, ButtonStyle Style);
}
