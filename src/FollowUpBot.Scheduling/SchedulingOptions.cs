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

    /// <summary>This instance's name in the scheduler cluster: <c>AUTO</c> (host name and a timestamp, the default) or
    /// a name unique among the instances sharing one database.</summary>
    [Required, StringLength(80, MinimumLength = 1)]
    public string InstanceId { get; set; } = "AUTO";

    /// <summary>PostgreSQL only: how often each instance checks in with the cluster. An instance silent for this
    /// long plus <see cref="ClusterCheckinMisfireThreshold"/> counts as dead, and the others take over its work.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PostgreSQL only: how late a check-in may be before the instance counts as dead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A trigger this far behind counts as misfired and fires at once (after a restart, say). Quartz leaves
    /// misfired triggers to a separate handler that works through them 20 at a time, so a short threshold turns a
    /// backlog (a burst of nudges due at one instant) into pauses; a minute lets the backlog drain without them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often (in real time) the store looks for misfired triggers. Each look is one cheap count while
    /// nothing has misfired, so it can be much shorter than <see cref="MisfireThreshold"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MisfireScanInterval { get; set; } = TimeSpan.FromSeconds(5);
}
