using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Testing;
using SkiaSharp;

namespace FollowUpBot.Charts.Tests;

public sealed class ChartRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly Cohort Cohort = new(1, "Fall 2026", "test", "w1", "career-room", 99, "K7MQ4T", Zone.Id, "mon 09:00", Now.AddDays(-90));

    private static CohortChartData Chart(int members) =>
        CohortChart.From(CoachNumbers.Build(Cohort, SampleCohort.Activity(SampleCohort.Members(members, Now)), Now, Zone));

    private static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidOperationException("not a PNG");

    /// <summary>How many pixels of the image (or of the part from <paramref name="fromX"/> to <paramref name="toX"/>) have this colour.</summary>
    private static int Pixels(SKBitmap image, ScottPlot.Color colour, int fromX = 0, int toX = int.MaxValue)
    {
        var wanted = new SKColor(colour.R, colour.G, colour.B);
        var count = 0;
        for (var y = 0; y < image.Height; y++)
            for (var x = fromX; x < Math.Min(toX, image.Width); x++)
                if (image.GetPixel(x, y) == wanted) count++;
        return count;
    }

    [Fact]
    public void ChartRendersHeadlessAsAPngOfTheDocumentedSize()
    {
        var png = new ScottPlotChartRenderer().RenderPng(Chart(30));

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        using var image = Decode(png);
        Assert.Equal(ScottPlotChartRenderer.Width, image.Width);
        Assert.Equal(ScottPlotChartRenderer.Height, image.Height);
    }

    [Fact]
    public void WeeksAreDrawnOnTheLeftAndTheStagesOnTheRightInTheColourBlindSafePalette()
    {
        var chart = Chart(30);
        Assert.True(chart.Interviews.Values.Sum() > 0 && chart.Funnel.Sum(f => f.Count) > 0);

        using var image = Decode(new ScottPlotChartRenderer().RenderPng(chart));

        var split = (int)(ScottPlotChartRenderer.Width * ScottPlotChartRenderer.Split);
        Assert.True(Pixels(image, ScottPlotChartRenderer.Blue, 0, split) > 2000, "interview bars on the left");
        Assert.Equal(0, Pixels(image, ScottPlotChartRenderer.Purple, 0, split));
        Assert.True(Pixels(image, ScottPlotChartRenderer.Purple, split) > 500, "stage bars on the right");
        foreach (var (series, colour) in chart.Outcomes.Zip([ScottPlotChartRenderer.Orange, ScottPlotChartRenderer.Green,
                     ScottPlotChartRenderer.Vermillion, ScottPlotChartRenderer.Grey]))
            Assert.True(series.Values.Sum() == 0 || Pixels(image, colour, 0, split) > 50, $"{series.Label} bars");
    }

    [Fact]
    public void AnEmptyCohortStillGetsAChart()
    {
        var chart = CohortChart.From(CoachNumbers.Build(Cohort, [], Now, Zone));

        using var image = Decode(new ScottPlotChartRenderer().RenderPng(chart));

        // Only the legend's swatch: no bar.
        Assert.InRange(Pixels(image, ScottPlotChartRenderer.Blue), 1, 400);
        Assert.Equal(0, Pixels(image, ScottPlotChartRenderer.Purple));
        Assert.Equal(ScottPlotChartRenderer.Width, image.Width);
    }

    [Fact]
    public void ChartTextIsDrawnInDejaVuWhereTheDockerImageInstallsIt()
    {
        var dockerfile = File.ReadAllText(RepositoryFolder.PathOf("Dockerfile"));
        var runtime = dockerfile[dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        Assert.Contains("fonts-dejavu-core", runtime);
        // fonts-dejavu-core puts DejaVu Sans here on Debian and Ubuntu, the aspnet images' systems.
        Assert.Equal("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", ChartFonts.Candidates[0]);
        if (File.Exists(ChartFonts.Candidates[0]))
        {
            _ = new ScottPlotChartRenderer().RenderPng(Chart(3));
            Assert.Equal(ChartFonts.Family, ChartFonts.Name);
            Assert.Equal(ChartFonts.Candidates[0], ChartFonts.File);
        }
    }

    [Fact]
    public void ScreenshotOfADigestChartForTheReadme()
    {
        var png = new ScottPlotChartRenderer().RenderPng(Chart(40));
        Assert.True(png.Length > 10_000);
        if (RepositoryFolder.ScreenshotFolder is { } folder) File.WriteAllBytes(Path.Combine(folder, "digest-chart.png"), png);
    }
}
