using FollowUpBot.Core.Cohorts;
using ScottPlot;
using SkiaSharp;

namespace FollowUpBot.Charts;

/// <summary>
/// The coach's chart as one PNG: on the left the last weeks' interviews beside their outcomes (stacked by kind), on
/// the right the applications per stage. Drawn large with large type (1000 x 520 px, 20 px labels), so it stays
/// readable when a chat shrinks it to half, in the Okabe-Ito palette, which stays distinct with every common colour
/// vision deficiency; every colour also has its legend entry, and each bar's position says what it is.
/// Headless: Skia draws into memory, with no display or fontconfig needed.
/// </summary>
public sealed class ScottPlotChartRenderer : ICohortChartRenderer
{
    public const int Width = 1000;
    public const int Height = 520;

    // Okabe & Ito (2008), "Color Universal Design".
    public static readonly Color Blue = Color.FromHex("#0072B2");
    public static readonly Color Orange = Color.FromHex("#E69F00");
    public static readonly Color Green = Color.FromHex("#009E73");
    public static readonly Color Vermillion = Color.FromHex("#D55E00");
    public static readonly Color Grey = Color.FromHex("#999999");
    public static readonly Color Purple = Color.FromHex("#CC79A7");

    private static readonly Color[] OutcomeColours = [Orange, Green, Vermillion, Grey];

    private const float LabelSize = 20, TitleSize = 24;

    public byte[] RenderPng(CohortChartData chart)
    {
        var font = ChartFonts.Name;
        var info = new SKImageInfo(Width, Height);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        var split = (int)(Width * Split);
        Draw(canvas, Weeks(chart, font), 0, split);
        Draw(canvas, Funnel(chart, font), split, Width - split);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The share of the width the weeks take; the stages get the rest.</summary>
    public const double Split = 0.6;

    /// <summary>Each plot is drawn on a surface of its own: a plot clears the whole canvas it is given.</summary>
    private static void Draw(SKCanvas canvas, Plot plot, int left, int width)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, Height));
        plot.Render(surface.Canvas, new PixelRect(0, width, Height, 0));
        using var image = surface.Snapshot();
        canvas.DrawImage(image, left, 0);
    }

    private static Plot Weeks(CohortChartData chart, string font)
    {
        var plot = NewPlot(font, chart.Title);
        var bars = new List<Bar>();
        for (var week = 0; week < chart.Weeks.Count; week++)
        {
            bars.Add(new Bar { Position = week - 0.21, Value = chart.Interviews.Values[week], FillColor = Blue, Size = 0.4, LineWidth = 0 });
            double bottom = 0;
            for (var kind = 0; kind < chart.Outcomes.Count; kind++)
            {
                var value = chart.Outcomes[kind].Values[week];
                if (value == 0) continue;
                bars.Add(new Bar
                {
                    Position = week + 0.21, ValueBase = bottom, Value = bottom + value,
                    FillColor = OutcomeColours[kind % OutcomeColours.Length], Size = 0.4, LineWidth = 0,
                });
                bottom += value;
            }
        }
        plot.Add.Bars(bars);

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, chart.Weeks.Count).Select(i => (double)i).ToArray(), chart.Weeks.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Left.Label.Text = "Per week (from Monday)";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        var highest = Math.Max(1, Enumerable.Range(0, chart.Weeks.Count)
            .Max(w => Math.Max(chart.Interviews.Values[w], chart.Outcomes.Sum(o => o.Values[w]))));
        plot.Axes.SetLimits(-0.6, chart.Weeks.Count - 0.4, 0, highest * 1.1 + 0.5);

        // Outside the data area, so it never hides a bar.
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.FontSize = LabelSize - 3;
        plot.Legend.FontName = font;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = chart.Interviews.Label, FillColor = Blue });
        for (var kind = 0; kind < chart.Outcomes.Count; kind++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = chart.Outcomes[kind].Label, FillColor = OutcomeColours[kind % OutcomeColours.Length] });
        return plot;
    }

    private static Plot Funnel(CohortChartData chart, string font)
    {
        var plot = NewPlot(font, "Applications now");
        var count = chart.Funnel.Count;
        var bars = chart.Funnel.Select((bar, i) => new Bar
        {
            // Top to bottom in the order an application moves: the first stage at the top.
            Position = count - 1 - i, Value = bar.Count, FillColor = Purple, Size = 0.7, LineWidth = 0,
            Label = bar.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontSize = LabelSize;
        plottable.ValueLabelStyle.FontName = font;

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, count).Select(i => (double)(count - 1 - i)).ToArray(), chart.Funnel.Select(f => f.Label).ToArray());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        var highest = Math.Max(1, chart.Funnel.Max(f => f.Count));
        plot.Axes.SetLimits(0, highest * 1.3 + 0.5, -0.6, count - 0.4);
        return plot;
    }

    private static Plot NewPlot(string font, string title)
    {
        var plot = new Plot();
        plot.Font.Set(font);
        plot.Title(title);
        plot.Axes.Title.Label.FontSize = TitleSize;
        plot.Axes.Title.Label.FontName = font;
        foreach (var axis in new IAxis[] { plot.Axes.Left, plot.Axes.Bottom })
        {
            axis.TickLabelStyle.FontSize = LabelSize;
            axis.TickLabelStyle.FontName = font;
            axis.Label.FontSize = LabelSize;
            axis.Label.FontName = font;
        }
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.12);
        return plot;
    }
}
