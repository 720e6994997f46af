using System.Reflection;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FollowUpBot.Host.Tests;

/// <summary>Members' data stays where the operator ran the bot, and never reaches a build output or an image.</summary>
public sealed class DataPathTests
{
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FollowUpBot.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("FollowUpBot.sln not found above the test output.");
    }

    private static string HostProject => Path.Combine(RepositoryRoot(), "src", "FollowUpBot.Host", "FollowUpBot.Host.csproj");

    private static async Task<(int Code, string Out)> DotnetAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task DotnetRunStartsTheBotInTheFolderItWasTypedIn()
    {
        using var folder = new TempFolder();
        var (code, output) = await DotnetAsync(folder.Path, "msbuild", HostProject, "-getProperty:RunWorkingDirectory", "-nologo");

        Assert.Equal(0, code);
        Assert.Equal(Path.TrimEndingDirectorySeparator(folder.Path), Path.TrimEndingDirectorySeparator(output.Trim()));
    }

    [Fact]
    public async Task DataLeftInTheProjectFolderNeverReachesThePublishOutput()
    {
        var project = Path.GetDirectoryName(HostProject)!;
        var probe = "publish-probe-" + Guid.NewGuid().ToString("N")[..8];
        string[] planted =
        [
            Path.Combine(project, "data", probe + ".db"),
            Path.Combine(project, "exports", probe + ".json"),
            Path.Combine(project, probe + ".db"),
            Path.Combine(project, probe + ".db-wal"),
        ];
        using var output = new TempFolder();
        try
        {
            foreach (var file in planted)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(file, "{\"member\": \"private\"}");
            }
            // What publish ships is decided by the project's items, evaluated now; the build `dotnet test` made is reused
            // (--no-build), so the test does not compile the host a second time next to the other test projects. That build
            // has the test run's configuration, while publish alone would look for a Release build.
            var configuration = typeof(DataPathTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var (code, log) = await DotnetAsync(project, "publish", HostProject, "--no-build", "-c", configuration, "-o", output.Path, "-p:UseAppHost=false", "--nologo");
            Assert.True(code == 0, log);

            Assert.True(File.Exists(Path.Combine(output.Path, "followupbot.dll")));
            var leaked = Directory.EnumerateFiles(output.Path, "*", SearchOption.AllDirectories).Where(f => f.Contains(probe)).ToList();
            Assert.Empty(leaked);
        }
        finally
        {
            foreach (var file in planted) File.Delete(file);
            foreach (var dir in new[] { "data", "exports" }.Select(d => Path.Combine(project, d)))
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        }
    }

    [Theory]
    [InlineData("data/followupbot.db")]
    [InlineData("src/FollowUpBot.Host/data/followupbot.db")]
    [InlineData("src/FollowUpBot.Host/exports/followupbot-export.json")]
    [InlineData("exports/followupbot-export.json")]
    [InlineData("demo.db")]
    [InlineData("src/FollowUpBot.Host/demo.db")]
    [InlineData("src/FollowUpBot.Host/demo.db-wal")]
    [InlineData("somewhere/deep/copy.db-shm")]
    [InlineData("data/followupbot.db.outbox")]
    [InlineData("src/.env")]
    public void MembersDataIsOutsideTheDockerBuildContextAtAnyDepth(string path)
    {
        Assert.Contains(DockerIgnorePatterns(), p => DockerIgnores(p, path));
    }

    [Theory]
    [InlineData("src/FollowUpBot.Host/Program.cs")]
    [InlineData("bot-config/appsettings.json")]
    [InlineData("Directory.Packages.props")]
    public void SourcesStayInTheDockerBuildContext(string path)
    {
        Assert.DoesNotContain(DockerIgnorePatterns(), p => DockerIgnores(p, path));
    }

    private static List<string> DockerIgnorePatterns() => File.ReadAllLines(Path.Combine(RepositoryRoot(), ".dockerignore"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    /// <summary>Docker's matching: Go's filepath.Match per segment, ** for any number of segments; a pattern that
    /// matches a folder excludes everything in it.</summary>
    private static bool DockerIgnores(string pattern, string path)
    {
        var regex = "^" + string.Join("/", pattern.Trim('/').Split('/').Select(segment => segment == "**"
            ? "\u0001"
            : Regex.Escape(segment).Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]"))) + "(/.*)?$";
        regex = regex.Replace("\u0001/", "(.*/)?").Replace("/\u0001", "(/.*)?").Replace("\u0001", ".*");
        return Regex.IsMatch(path, regex);
    }
}
