using System.Globalization;
using System.Text;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Cohorts;

/// <summary>A series of the chart: one value per week (or one per funnel bar).</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<int> Values);

/// <summary>One bar of the stage funnel.</summary>
public sealed record FunnelBar(string Label, int Count);

/// <summary>
/// What the digest's chart shows, and nothing more: the cohort's totals per week (interviews beside the outcomes,
/// stacked by kind) and the applications per stage. No member's name, company or date is in it, so every member,
/// whatever their level, may count in it. <see cref="AltText"/> says the same in words.
/// </summary>
public sealed record CohortChartData(
    string Title,
    IReadOnlyList<string> Weeks,
    ChartSeries Interviews,
    IReadOnlyList<ChartSeries> Outcomes,
    IReadOnlyList<FunnelBar> Funnel,
    string AltText,
    string FileName);

/// <summary>Draws a chart as a PNG image. Lives outside Core (it needs a graphics library); optional.</summary>
public interface ICohortChartRenderer
{
    byte[] RenderPng(CohortChartData chart);
}

public static class CohortChart
{
    public const string ContentType = "image/png";

    /// <summary>Slack takes alt text up to 1,000 characters, Discord 1,024.</summary>
    public const int MaxAltText = 1000;

    public static CohortChartData From(CoachNumbers numbers)
    {
        var weeks = numbers.Weeks.Select(w => CoachReport.WeekLabel(w.WeekOf)).ToList();
        var interviews = new ChartSeries("Interviews", numbers.Weeks.Select(w => w.Interviews).ToList());
        IReadOnlyList<ChartSeries> outcomes =
        [
            new("Next round", numbers.Weeks.Select(w => w.NextRounds).ToList()),
            new("Offer", numbers.Weeks.Select(w => w.Offers).ToList()),
            new("Rejected", numbers.Weeks.Select(w => w.Rejections).ToList()),
            new("Other outcome", numbers.Weeks.Select(w => w.OtherOutcomes).ToList()),
        ];
        var funnel = numbers.OpenStages.Select(s => new FunnelBar(Capitalize(CoachReport.StageLabel(s.Stage)), s.Applications))
            .Append(new FunnelBar($"Accepted ({CoachNumbers.TrendWeeks} wk)",
                numbers.ClosedInWindow.Where(s => s.Stage == Domain.ProcessStage.Accepted).Sum(s => s.Applications)))
            .ToList();
        var title = $"{numbers.Cohort.Name}: {CoachNumbers.TrendWeeks} weeks to {CoachReport.Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(numbers.Now, numbers.Zone).Date))}";
        return new CohortChartData(title, weeks, interviews, outcomes, funnel, AltText(numbers, weeks, interviews, outcomes, funnel),
            FileName(numbers));
    }

    /// <summary>The chart as a file to post, or null when no renderer is configured.</summary>
    public static Attachment? Render(CoachNumbers numbers, ICohortChartRenderer? renderer)
    {
        if (renderer is null) return null;
        var chart = From(numbers);
        return new Attachment(chart.FileName, ContentType, renderer.RenderPng(chart)) { AltText = chart.AltText };
    }

    private static string AltText(CoachNumbers numbers, IReadOnlyList<string> weeks, ChartSeries interviews,
        IReadOnlyList<ChartSeries> outcomes, IReadOnlyList<FunnelBar> funnel)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Chart of {numbers.Cohort.Name}, totals over {CoachReport.Count(numbers.CountedMembers, "member", "members")}, weeks of {weeks[0]} to {weeks[^1]}. ");
        text.Append("Interviews per week: ").Append(string.Join(", ", interviews.Values)).Append(". ");
        text.Append("Outcomes per week: ").Append(string.Join(", ", numbers.Weeks.Select(w => w.Outcomes))).Append(" (")
            .Append(string.Join(", ", outcomes.Select(o => $"{o.Label.ToLowerInvariant()} {o.Values.Sum()}"))).Append(" in all). ");
        text.Append("Applications by stage: ").Append(string.Join(", ", funnel.Select(f => $"{f.Label.ToLowerInvariant()} {f.Count}"))).Append('.');
        var alt = text.ToString();
        return alt.Length <= MaxAltText ? alt : alt[..(MaxAltText - 1)] + "…";
    }

    /// <summary>"fall-2026-2026-12-07.png": letters and digits of the cohort's name, then the day.</summary>
    private static string FileName(CoachNumbers numbers)
    {
        var slug = new StringBuilder();
        foreach (var c in numbers.Cohort.Name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
            if (slug.Length >= 40) break;
        }
        var name = slug.ToString().Trim('-');
        var day = TimeZoneInfo.ConvertTime(numbers.Now, numbers.Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"{(name.Length == 0 ? "cohort" : name)}-{day}.png";
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
