using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Scheduling;

/// <summary>How the scheduler runs (section "Scheduling"). Quartz is configured from these bound values.</summary>
public sealed class SchedulingOptions : IValidatableObject
{
    public const string Section = "Scheduling";

    /// <summary>Nudges delivered at the same time, at most. A burst of nudges due at one instant drains this many at
    /// a time; platform rate limits still pace the real sends.</summary>
    [Range(1, 100)]
    public int ThreadCount { get; set; } = 16;

    /// <summary>Triggers the scheduler takes from the store in one round (one transaction), at most; 0 means as many
    /// as there are threads. Larger rounds drain a burst with fewer round trips under the store's trigger lock.</summary>
    [Range(0, 100)]
    public int MaxBatchSize { get; set; }

    /// <summary>How early a trigger may fire so that it joins the round of one due just before it. Zero (the default)
    /// never fires a nudge early.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan FireAheadWindow { get; set; } = TimeSpan.Zero;

    /// <summary>Only nudges due within this span from now (and overdue ones) hold a Quartz trigger; the rest wait as
    /// rows, and the horizon job gives them triggers as they come within it. Keeps the job store (and the start-up
    /// reconciliation) proportional to the next day and a half, not to every nudge ever planned.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(36);

    /// <summary>How often (scheduler time) the horizon job moves the window on; it runs on one instance of a cluster
    /// per interval. Must be at most half the horizon, so that a nudge always enters the window well before it is due.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan HorizonInterval { get; set; } = TimeSpan.FromMinutes(15);

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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HorizonInterval * 2 > Horizon)
            yield return new ValidationResult(
                $"Scheduling:HorizonInterval ({HorizonInterval}) must be at most half of Scheduling:Horizon ({Horizon}).",
                [nameof(HorizonInterval), nameof(Horizon)]);
        if (MaxBatchSize > ThreadCount)
            yield return new ValidationResult(
                $"Scheduling:MaxBatchSize ({MaxBatchSize}) must not exceed Scheduling:ThreadCount ({ThreadCount}): triggers taken beyond the threads to run them would wait on this instance.",
                [nameof(MaxBatchSize), nameof(ThreadCount)]);
    }
}
