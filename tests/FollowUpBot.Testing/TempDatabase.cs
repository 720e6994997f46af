namespace FollowUpBot.Testing;

/// <summary>A SQLite database file in a fresh temporary folder, removed (as far as possible) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase(string name = "followupbot.db")
    {
        Folder = Path.Combine(Path.GetTempPath(), "followupbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        FilePath = Path.Combine(Folder, name);
    }

    public string Folder { get; }

    public string FilePath { get; }

    /// <summary>Pooling off, so no connection outlives a test and keeps the file open.</summary>
    public string ConnectionString => $"Data Source={FilePath};Pooling=False";

    /// <summary>Configuration entries that point the storage layer at this file.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Storage:Provider", "Sqlite"),
        new("Storage:ConnectionString", ConnectionString),
    ];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (another process, a leaked pool) stays in the temp folder; harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
