using ScottPlot;

namespace FollowUpBot.Charts;

/// <summary>
/// The typeface the chart is drawn in. Skia's Linux natives without dependencies read no fontconfig, so the font is
/// loaded from its file: DejaVu Sans where Debian and Ubuntu put it (the Docker image installs fonts-dejavu-core).
/// Without it, ScottPlot's own default (whatever typeface Skia finds) is used: the chart still renders, and its alt
/// text carries every number either way.
/// </summary>
public static class ChartFonts
{
    public const string Family = "FollowUpBot Sans";

    /// <summary>Where fonts-dejavu-core (Debian, Ubuntu) and ttf-dejavu (Alpine, Arch) install DejaVu Sans.</summary>
    public static IReadOnlyList<string> Candidates { get; } =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ];

    private static readonly Lazy<string> Resolved = new(Resolve);

    /// <summary>The font family name to draw with: <see cref="Family"/> when a file was found, else ScottPlot's default.</summary>
    public static string Name => Resolved.Value;

    /// <summary>The font file in use, or null when ScottPlot's default is.</summary>
    public static string? File { get; private set; }

    private static string Resolve()
    {
        foreach (var path in Candidates)
        {
            if (!System.IO.File.Exists(path)) continue;
            Fonts.AddFontFile(Family, path, bold: false, italic: false);
            var bold = path.Replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", StringComparison.Ordinal);
            Fonts.AddFontFile(Family, System.IO.File.Exists(bold) ? bold : path, bold: true, italic: false);
            File = path;
            return Family;
        }
        return Fonts.Default;
    }
}
