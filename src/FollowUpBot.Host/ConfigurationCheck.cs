using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using FollowUpBot.Core;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Retention;
using FollowUpBot.Hosting;
using FollowUpBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Host;

/// <summary>
/// Checks the value types of every setting before anything is built from them, so that a mistyped value is one
/// line naming the setting, the value and what it should be (a <see cref="StartupProblem"/>), instead of an
/// exception from deep inside the configuration binder. Ranges and cross-field rules stay with each section's
/// option validation, which reports the same way.
/// </summary>
public static partial class ConfigurationCheck
{
    /// <summary>Every options section the bot binds outside the platforms, with the type it binds to.</summary>
    private static readonly OptionsSection[] Sections =
    [
        new(BotOptions.Section, typeof(BotOptions)),
        new(DeliveryOptions.Section, typeof(DeliveryOptions)),
        new(RetentionOptions.Section, typeof(RetentionOptions)),
        new(StorageOptions.Section, typeof(StorageOptions)),
        new(FollowUpBot.Scheduling.SchedulingOptions.Section, typeof(FollowUpBot.Scheduling.SchedulingOptions)),
        new(MetricsOptions.Section, typeof(MetricsOptions)),
    ];

    /// <param name="platforms">The platforms the process knows: their sections are checked too, configured or not.</param>
    public static void Run(IConfiguration configuration, IEnumerable<IPlatformModule> platforms)
    {
        CheckLogging(configuration);
        CheckUrls(configuration["Host:Urls"]);
        foreach (var (section, type) in Sections.Concat(platforms.SelectMany(p => p.Options)))
        {
            CheckEnums(configuration.GetSection(section), type);
            try
            {
                configuration.GetSection(section).Get(type);
            }
            catch (InvalidOperationException e) when (Describe(e, configuration) is { } line)
            {
                throw new StartupProblem(line);
            }
        }
    }

    /// <summary>The binder's "Failed to convert configuration value at 'X' to type 'Y'" as one line for a person.</summary>
    public static string? Describe(Exception e, IConfiguration configuration)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            var match = BinderFailure().Match(inner.Message);
            if (!match.Success) continue;
            var key = match.Groups["key"].Value;
            return $"Configuration problem: {key} = '{configuration[key]}' is not {Expected(match.Groups["type"].Value)}.";
        }
        return null;
    }

    private static void CheckLogging(IConfiguration configuration)
    {
        var format = configuration["Logging:Format"];
        if (!string.IsNullOrWhiteSpace(format) && !format.Trim().Equals(LogFormats.Text, StringComparison.OrdinalIgnoreCase)
            && !format.Trim().Equals(LogFormats.Json, StringComparison.OrdinalIgnoreCase))
            throw new StartupProblem($"Configuration problem: Logging:Format = '{format}' is not a log format; use text or json.");
        foreach (var level in configuration.GetSection("Logging:LogLevel").GetChildren())
        {
            if (level.Value is { } value && !IsName<LogLevel>(value))
                throw new StartupProblem($"Configuration problem: {level.Path} = '{value}' is not a log level; use one of "
                    + $"{string.Join(", ", Enum.GetNames<LogLevel>())}.");
        }
    }

    /// <summary>Host:Urls: URLs separated by ';', each http(s)://host:port (host may be + or * for every address).</summary>
    private static void CheckUrls(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls)) return;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parsed = url.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
            if (!Uri.TryCreate(parsed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
                throw new StartupProblem($"Configuration problem: Host:Urls = '{urls}': '{url}' is not a URL to listen on; "
                    + "write it like http://+:8080 or http://127.0.0.1:8080 (several separated by ';').");
        }
    }

    /// <summary>Enum settings must be one of the names: the binder would also take a number, or nothing sensible.</summary>
    private static void CheckEnums(IConfigurationSection section, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var enumType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (!enumType.IsEnum || !property.CanWrite) continue;
            var value = section[property.Name];
            if (value is null || (Enum.GetNames(enumType).Any(n => n.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase))))
                continue;
            throw new StartupProblem($"Configuration problem: {section.Path}:{property.Name} = '{value}' is not one of "
                + $"{string.Join(", ", Enum.GetNames(enumType).Select(n => n.ToLowerInvariant()))}.");
        }
    }

    private static bool IsName<T>(string value) where T : struct, Enum =>
        Enum.GetNames<T>().Any(n => n.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
        "System.Double" or "System.Decimal" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:05:00 (hh:mm:ss) or 1.00:00:00 (one day)",
        "System.Uri" => "an absolute URL",
        "System.DateTimeOffset" or "System.DateTime" => "a date and time such as 2026-12-04T16:30:00Z",
        _ => $"a valid {type[(type.LastIndexOf('.') + 1)..].ToLower(CultureInfo.InvariantCulture)}",
    };

    [GeneratedRegex(@"at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BinderFailure();
}
