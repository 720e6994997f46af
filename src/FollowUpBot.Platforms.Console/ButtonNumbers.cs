namespace FollowUpBot.Platforms.Console;

/// <summary>
/// Short ids for the engine's button ids, so a member types <c>/press 3</c> instead of
/// <c>/press nudge:42:snooze</c>. The same engine id keeps its number for the whole run.
/// </summary>
public sealed class ButtonNumbers
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _byEngineId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byNumber = new(StringComparer.Ordinal);

    public string NumberFor(string engineId)
    {
        lock (_gate)
        {
            if (_byEngineId.TryGetValue(engineId, out var number)) return number;
            number = (_byEngineId.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _byEngineId[engineId] = number;
            _byNumber[number] = engineId;
            return number;
        }
    }

    public bool TryResolve(string number, out string engineId)
    {
        lock (_gate)
        {
            if (_byNumber.TryGetValue(number.Trim(), out var found))
            {
                engineId = found;
                return true;
            }
        }
        engineId = "";
        return false;
    }
}
