using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Scheduling;

/// <summary>How the scheduler runs (section "Scheduling").</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>Nudges delivered at the same time, at most.</summary>
    [Range(1, 50)]
    public int ThreadCount { get; set; } = 4;

    /// <summary>How often (in real time) every pending nudge is checked for its trigger, and stray triggers removed.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the scheduler sleeps when nothing is due; also how soon it notices a trigger written by
    /// another process.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A trigger this far behind counts as misfired and fires at once (after a restart, say).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(5);
}
