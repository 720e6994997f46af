using Microsoft.Data.Sqlite;

namespace FollowUpBot.Host.Tests;

/// <summary>
/// kill -9 during /wait loses no nudge: a nudge recorded as sent was printed, or is printed at the next start marked
/// as a possible repeat; only nudges so marked may show twice.
/// </summary>
public sealed class DurableConsoleTests
{
    private const int Interviews = 20;

    private static int Headers(string output, bool repeatsOnly = false) =>
        output.Split('\n').Count(l => l.StartsWith('[') && (!repeatsOnly || l.TrimEnd().EndsWith("(possible repeat)", StringComparison.Ordinal)));

    private static int Sent(string db)
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM nudges WHERE state = 'sent'";
            return Convert.ToInt32(count.ExecuteScalar());
        }
        catch (SqliteException)
        {
            return 0; // not created yet, or busy for a moment
        }
    }

    [Fact]
    public async Task KilledDuringWaitTheConsoleShowsEverySentNudgeAfterRestart()
    {
        using var folder = new TempFolder();
        var db = folder.File("bot.db");
        int firstRun;
        string firstOutput;
        await using (var bot = ChildBot.Start(folder.Path, null, "console", "--db", db, "--now", "2026-12-04T16:30", "--time-zone", "UTC"))
        {
            for (var i = 1; i <= Interviews; i++)
                bot.Input.WriteLine($"/interview done company:\"Company{i}\" interviewers:\"Ana Ruiz\" format:onsite");
            bot.Input.WriteLine("/wait 60d");
            bot.Input.Flush();
            // Kill it at the worst moment: nudges recorded as sent that the screen does not show yet (held for the
            // simulated clock's quiet point). Before the outbox, exactly these were lost.
            // The process is frozen (SIGSTOP) to look, so the moment cannot pass while the database is read; whatever it
            // had already written to stdout is read meanwhile.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), "never caught sent nudges off the screen");
                Assert.False(bot.HasExited, bot.Error);
                if (Headers(bot.Out) >= 1)
                {
                    bot.Signal(19); // SIGSTOP
                    // Real time on purpose: what the process wrote before it stopped is still in the pipe on its way
                    // to our reader, and nothing signals that the pipe is empty.
                    await Task.Delay(150);
                    if (Sent(db) > Headers(bot.Out)) break;
                    bot.Signal(18); // SIGCONT
                }
                // A poll of another process at uneven intervals, so the kill lands at different moments of the walk.
                await Task.Delay(Random.Shared.Next(5, 40));
            }
            bot.Signal(9);
            await bot.WaitForExitAsync(TimeSpan.FromSeconds(10));
            firstOutput = bot.Out;
            firstRun = Headers(firstOutput);
        }

        // The same start again: what the killed run left is resumed, and the walk delivers the rest.
        await using var again = ChildBot.Start(folder.Path, null, "console", "--db", db, "--now", "2026-12-04T16:30", "--time-zone", "UTC");
        again.Input.WriteLine("/wait 60d");
        again.Input.WriteLine("/quit");
        again.Input.Flush();
        Assert.True(await again.WaitForExitAsync(TimeSpan.FromSeconds(120)), "the second run should end at /quit");
        var secondRun = Headers(again.Out);
        var repeats = Headers(firstOutput, repeatsOnly: true) + Headers(again.Out, repeatsOnly: true);

        var sent = Sent(db);

        Assert.True(sent > firstRun, $"the kill should come before everything was sent ({sent} sent, {firstRun} shown)");
        Assert.True(firstRun + secondRun >= sent, $"{sent} nudges recorded as sent, {firstRun}+{secondRun} shown");
        Assert.True(firstRun + secondRun - repeats <= sent, $"{firstRun + secondRun - repeats} shown unmarked for {sent} sent");
    }
}
