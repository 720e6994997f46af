using FollowUpBot.Core.Playbooks;
using Microsoft.Extensions.Configuration;

namespace FollowUpBot.Host;

/// <summary>
/// The bot-config folder: appsettings.json (overridden by FOLLOWUPBOT_ environment variables, "__" between
/// sections) and playbook.json. By default the one copied beside the executable.
/// </summary>
public sealed class BotConfigFolder
{
    public const string EnvironmentPrefix = "FOLLOWUPBOT_";

    private BotConfigFolder(string path) => Path = path;

    public string Path { get; }

    public static string DefaultPath => System.IO.Path.Combine(AppContext.BaseDirectory, "bot-config");

    /// <summary>The folder named by --config, or the default; a folder that does not exist is a startup problem.</summary>
    public static BotConfigFolder Resolve(string? option)
    {
        var path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(option) ? DefaultPath : option.Trim());
        if (!Directory.Exists(path))
            throw new StartupProblem($"--config: the folder {path} does not exist (it should hold appsettings.json and playbook.json).");
        return new BotConfigFolder(path);
    }

    /// <summary>appsettings.json, then the environment, then <paramref name="overrides"/> (command-line options).</summary>
    public void AddTo(IConfigurationBuilder configuration, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = System.IO.Path.Combine(Path, "appsettings.json");
        try
        {
            configuration.AddJsonFile(settings, optional: true, reloadOnChange: false);
            configuration.AddEnvironmentVariables(EnvironmentPrefix);
            if (overrides is not null) configuration.AddInMemoryCollection(overrides);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            throw new StartupProblem($"{settings}: {OneLine(e.InnerException?.Message ?? e.Message)}");
        }
    }

    public IConfigurationRoot BuildConfiguration(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        AddTo(builder, overrides);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new StartupProblem($"{System.IO.Path.Combine(Path, "appsettings.json")}: {OneLine(e.InnerException?.Message ?? e.Message)}");
        }
    }

    /// <summary>Reads and validates playbook.json; any problem is one line naming the file.</summary>
    public Playbook LoadPlaybook()
    {
        var file = System.IO.Path.Combine(Path, "playbook.json");
        string json;
        try
        {
            json = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupProblem($"{file}: cannot read the playbook ({OneLine(e.Message)}).");
        }
        try
        {
            return Playbook.Parse(json);
        }
        catch (PlaybookException e)
        {
            throw new StartupProblem($"{file}: {OneLine(e.Message)}");
        }
    }

    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
