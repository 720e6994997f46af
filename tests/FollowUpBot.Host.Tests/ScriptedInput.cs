namespace FollowUpBot.Host.Tests;

/// <summary>
/// stdin for a console transcript. Each line may depend on what the bot printed so far (to press a button by
/// its label); the chat reads a line only once it has printed everything the previous one caused.
/// </summary>
public sealed class ScriptedInput(StringWriter output, IEnumerable<Func<Transcript, string>> lines) : TextReader
{
    private readonly Queue<Func<Transcript, string>> _lines = new(lines);

    public override string? ReadLine()
    {
        if (!_lines.TryDequeue(out var next)) return null;
        return next(new Transcript(output.ToString()));
    }

    public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());

    public override Task<string?> ReadLineAsync() => Task.FromResult(ReadLine());
}
