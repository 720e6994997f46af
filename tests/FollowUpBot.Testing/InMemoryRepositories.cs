using System.Text.Json;
using System.Text.Json.Serialization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Testing;

/// <summary>
/// One in-memory store behind all four repository ports, with the semantics the SQL store has: every write is
/// all-or-nothing (it works on copies and commits at the end, or throws before changing anything), claims move
/// pending/snoozed to sending exactly once, and a delivery key is recorded at most once.
/// Set <see cref="NextWriteFailure"/> to make the next write throw (a lost connection) without changing anything.
/// </summary>
public sealed partial class InMemoryRepositories : IMemberRepository, IInterviewRepository, INudgeRepository, IFormDraftRepository
{
    private static readonly JsonSerializerOptions SnapshotJson = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly object _gate = new();
    private readonly Dictionary<long, Member> _members = [];
    private readonly Dictionary<long, Interview> _interviews = [];
    private readonly Dictionary<long, Nudge> _nudges = [];
    private readonly Dictionary<(long MemberId, string FormId), Dictionary<string, string>> _drafts = [];
    private readonly HashSet<string> _deliveryKeys = [];
    /// <summary>Which firing claimed each nudge it holds in sending (the claimed_with column).</summary>
    private readonly Dictionary<long, long> _claimedWith = [];
    private long _nextMemberId = 1, _nextInterviewId = 1, _nextNudgeId = 1;

    public Exception? NextWriteFailure { get; set; }

    /// <summary>Counts writes that changed something (drafts excluded), to assert "stored exactly once".</summary>
    public int InterviewWrites { get; private set; }

    public IReadOnlyList<Member> Members { get { lock (_gate) return _members.Values.OrderBy(m => m.Id).ToList(); } }
    public IReadOnlyList<Interview> Interviews { get { lock (_gate) return _interviews.Values.OrderBy(i => i.Id).ToList(); } }
    public IReadOnlyList<Nudge> Nudges { get { lock (_gate) return _nudges.Values.OrderBy(n => n.Id).ToList(); } }
    public IReadOnlyCollection<string> DeliveryKeys { get { lock (_gate) return _deliveryKeys.ToList(); } }

    public IReadOnlyDictionary<string, string>? Draft(long memberId, string formId)
    {
        lock (_gate) return _drafts.TryGetValue((memberId, formId), out var d) ? new Dictionary<string, string>(d) : null;
    }

    /// <summary>Interviews and nudges as text, for "nothing changed" assertions (members change on every event).</summary>
    public string Snapshot()
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(new { Interviews = Interviews, Nudges = Nudges, _deliveryKeys }, SnapshotJson);
        }
    }

    /// <summary>Adds a member directly (arranging a test).</summary>
    public Member Seed(Member member) => SaveAsync(member, CancellationToken.None).GetAwaiter().GetResult();

    private void ThrowIfFailing()
    {
        if (NextWriteFailure is { } failure)
        {
            NextWriteFailure = null;
            throw failure;
        }
    }

    // ---- members

    public Task<Member?> FindAsync(MemberKey key, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_members.Values.FirstOrDefault(m => m.Key == key));
    }

    public Task<Member?> GetAsync(long memberId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_members.GetValueOrDefault(memberId));
    }

    /// <summary>How many times a member was written (inserted or updated).</summary>
    public int MemberWrites { get; private set; }

    public Task<Member> SaveAsync(Member member, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            MemberWrites++;
            if (member.Id == 0)
            {
                // As with a unique key: a second insert of the same member returns the row stored first.
                var existing = _members.Values.FirstOrDefault(m => m.Key == member.Key);
                if (existing is not null) return Task.FromResult(existing);
                member = member with { Id = _nextMemberId++ };
            }
            else if (!_members.ContainsKey(member.Id))
            {
                throw new InvalidOperationException($"No member {member.Id}.");
            }
            _members[member.Id] = member;
            return Task.FromResult(member);
        }
    }

    // ---- interviews

    public Task<(Interview Interview, IReadOnlyList<Nudge> Nudges)> AddAsync(
        Interview interview, IReadOnlyList<Nudge> nudges, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!_members.ContainsKey(interview.MemberId)) throw new InvalidOperationException($"No member {interview.MemberId}.");
            var number = _interviews.Values.Where(i => i.MemberId == interview.MemberId).Select(i => i.Number).DefaultIfEmpty(0).Max() + 1;
            var id = _nextInterviewId++;
            var stored = interview with { Id = id, Number = number, ProcessId = interview.ProcessId == 0 ? id : interview.ProcessId };
            var storedNudges = nudges.Select(n => n with { Id = _nextNudgeId++, InterviewId = stored.Id, MemberId = stored.MemberId }).ToList();
            _interviews[stored.Id] = stored;
            foreach (var n in storedNudges) _nudges[n.Id] = n;
            InterviewWrites++;
            return Task.FromResult<(Interview, IReadOnlyList<Nudge>)>((stored, storedNudges));
        }
    }

    Task<Interview?> IInterviewRepository.GetAsync(long interviewId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_interviews.GetValueOrDefault(interviewId));
    }

    public Task<Interview?> FindByNumberAsync(long memberId, int number, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_interviews.Values.FirstOrDefault(i => i.MemberId == memberId && i.Number == number));
    }

    public Task<IReadOnlyList<Interview>> ListAsync(long memberId, bool openOnly, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Interview>>(_interviews.Values
                .Where(i => i.MemberId == memberId && (!openOnly || i.IsOpen)).OrderBy(i => i.Number).ToList());
        }
    }

    public Task<NudgeChangeResult> UpdateAsync(Interview interview, NudgeChanges changes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!_interviews.TryGetValue(interview.Id, out var current)) throw new InvalidOperationException($"No interview {interview.Id}.");

            // Work on copies; commit only when everything is known to apply.
            var updated = current with
            {
                Company = interview.Company, Role = interview.Role, Interviewers = interview.Interviewers, Format = interview.Format,
                EndedAt = interview.EndedAt, DecisionDate = interview.DecisionDate, FollowUpInvited = interview.FollowUpInvited,
                References = interview.References,
                Notes = interview.Notes, Outcome = interview.Outcome, OutcomeAt = interview.OutcomeAt,
                FollowUpsLogged = interview.FollowUpsLogged, LastFollowUpAt = interview.LastFollowUpAt, FollowUpTimes = interview.FollowUpTimes,
                NextRoundAt = interview.NextRoundAt, OfferDeadline = interview.OfferDeadline, OpenQuestions = interview.OpenQuestions,
            };
            var changed = new List<long>();
            var newStates = new Dictionary<long, Nudge>();
            foreach (var change in changes.Change)
            {
                var nudge = newStates.GetValueOrDefault(change.NudgeId) ?? _nudges.GetValueOrDefault(change.NudgeId);
                if (nudge is null || !change.From.Contains(nudge.State)) continue;
                newStates[nudge.Id] = nudge with { State = change.To, DueAt = change.DueAt ?? nudge.DueAt, MarkedAt = change.MarkedAt ?? nudge.MarkedAt };
                changed.Add(nudge.Id);
            }
            var added = changes.Add.Select(n => n with { Id = _nextNudgeId++, InterviewId = updated.Id, MemberId = updated.MemberId }).ToList();

            _interviews[updated.Id] = updated;
            foreach (var n in newStates.Values) _nudges[n.Id] = n;
            foreach (var n in added) _nudges[n.Id] = n;
            InterviewWrites++;
            return Task.FromResult(new NudgeChangeResult(added, changed));
        }
    }

    public Task<IReadOnlyList<long>> DeleteAsync(long interviewId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            var ids = _nudges.Values.Where(n => n.InterviewId == interviewId).Select(n => n.Id).ToList();
            if (!_interviews.Remove(interviewId)) return Task.FromResult<IReadOnlyList<long>>([]);
            foreach (var id in ids) _nudges.Remove(id);
            InterviewWrites++;
            return Task.FromResult<IReadOnlyList<long>>(ids);
        }
    }

    // ---- nudges

    Task<Nudge?> INudgeRepository.GetAsync(long nudgeId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_nudges.GetValueOrDefault(nudgeId));
    }

    public Task<IReadOnlyList<Nudge>> ListByInterviewAsync(long interviewId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Nudge>>(_nudges.Values.Where(n => n.InterviewId == interviewId)
                .OrderBy(n => n.DueAt).ThenBy(n => n.Id).ToList());
        }
    }

    public Task<IReadOnlyList<Nudge>> ListUpcomingByMemberAsync(long memberId, DateTimeOffset sentSince, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Nudge>>(_nudges.Values
                .Where(n => n.MemberId == memberId && (n.IsScheduled || n.SentAt >= sentSince))
                .OrderBy(n => n.DueAt).ThenBy(n => n.Id).ToList());
        }
    }

    public Task<IReadOnlyList<Nudge>> ListByStateAsync(IReadOnlyCollection<NudgeState> states, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Nudge>>(_nudges.Values.Where(n => states.Contains(n.State))
                .OrderBy(n => n.DueAt).ThenBy(n => n.Id).ToList());
        }
    }

    public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var due = _nudges.Values.Where(n => n.IsScheduled).Select(n => (DateTimeOffset?)n.DueAt).Min();
            return Task.FromResult(due);
        }
    }

    public Task<Nudge?> TryClaimAsync(long nudgeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryClaimAsync(nudgeId, now, dueBy: null, cancellationToken);

    public Task<Nudge?> TryClaimAsync(long nudgeId, DateTimeOffset now, DateTimeOffset? dueBy, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!_nudges.TryGetValue(nudgeId, out var nudge) || !nudge.IsScheduled || nudge.DueAt > dueBy) return Task.FromResult<Nudge?>(null);
            var claimed = nudge with { State = NudgeState.Sending, Attempts = nudge.Attempts + 1, ClaimedAt = now };
            _nudges[nudgeId] = claimed;
            _claimedWith[nudgeId] = nudgeId;
            return Task.FromResult<Nudge?>(claimed);
        }
    }

    public Task<IReadOnlyList<ClaimedNudge>> TryClaimDueAsync(long nudgeId, DateTimeOffset now, DateTimeOffset dueBy, int others,
        CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            var due = _nudges.Values
                .Where(n => n.IsScheduled && (n.DueAt <= now || (n.Id == nudgeId && n.DueAt <= dueBy)))
                .OrderBy(n => n.Id == nudgeId ? 0 : 1).ThenBy(n => n.DueAt).ThenBy(n => n.Id)
                .Take(others + 1)
                .Select(n => n with { State = NudgeState.Sending, Attempts = n.Attempts + 1, ClaimedAt = now })
                .ToList();
            foreach (var claimed in due)
            {
                _nudges[claimed.Id] = claimed;
                _claimedWith[claimed.Id] = nudgeId;
            }
            IReadOnlyList<ClaimedNudge> loaded = due.Select(n =>
            {
                var interview = _interviews.GetValueOrDefault(n.InterviewId);
                return new ClaimedNudge(n, interview, interview is null ? null : _members.GetValueOrDefault(interview.MemberId));
            }).ToList();
            return Task.FromResult(loaded);
        }
    }

    public Task<IReadOnlyList<Nudge>> ListClaimedByFiringAsync(long nudgeId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            IReadOnlyList<Nudge> claimed = _nudges.Values
                .Where(n => n.State == NudgeState.Sending && _claimedWith.GetValueOrDefault(n.Id, n.Id) == nudgeId)
                .OrderBy(n => n.Id == nudgeId ? 0 : 1).ThenBy(n => n.DueAt).ThenBy(n => n.Id)
                .ToList();
            return Task.FromResult(claimed);
        }
    }

    public async Task<IReadOnlyCollection<long>> CompleteSentAsync(IReadOnlyCollection<long> nudgeIds, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var done = new List<long>();
        foreach (var id in nudgeIds)
            if (await CompleteAsync(id, NudgeState.Sent, at, null, null, possibleRepeat: false, cancellationToken))
                done.Add(id);
        return done;
    }

    public Task<bool> CompleteAsync(long nudgeId, NudgeState to, DateTimeOffset at, string? error, DateTimeOffset? nextDueAt,
        bool possibleRepeat, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!_nudges.TryGetValue(nudgeId, out var nudge) || nudge.State != NudgeState.Sending) return Task.FromResult(false);
            Nudge completed;
            switch (to)
            {
                case NudgeState.Sent:
                    // The unique delivery key: one send of one delivery is recorded once.
                    if (!_deliveryKeys.Add(nudge.DeliveryKey)) throw new InvalidOperationException($"Delivery {nudge.DeliveryKey} recorded twice.");
                    completed = nudge with { State = NudgeState.Sent, SentAt = at, Deliveries = nudge.Deliveries + 1, LastError = null, PossibleRepeat = false };
                    break;
                case NudgeState.Pending:
                    completed = nudge with { State = NudgeState.Pending, DueAt = nextDueAt ?? nudge.DueAt, LastError = error, PossibleRepeat = possibleRepeat };
                    break;
                case NudgeState.Skipped or NudgeState.Failed:
                    completed = nudge with { State = to, LastError = error, PossibleRepeat = possibleRepeat };
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(to), to, "A claimed nudge ends sent, pending (retry), skipped or failed.");
            }
            _nudges[nudgeId] = completed;
            return Task.FromResult(true);
        }
    }

    public Task<bool> ChangeStateAsync(long nudgeId, IReadOnlyCollection<NudgeState> from, NudgeState to, DateTimeOffset? dueAt,
        CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!_nudges.TryGetValue(nudgeId, out var nudge) || !from.Contains(nudge.State)) return Task.FromResult(false);
            _nudges[nudgeId] = nudge with { State = to, DueAt = dueAt ?? nudge.DueAt };
            return Task.FromResult(true);
        }
    }

    // ---- form drafts

    Task<IReadOnlyDictionary<string, string>?> IFormDraftRepository.FindAsync(long memberId, string formId, CancellationToken cancellationToken) =>
        Task.FromResult(Draft(memberId, formId));

    Task IFormDraftRepository.SaveAsync(long memberId, string formId, IReadOnlyDictionary<string, string> values, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            _drafts[(memberId, formId)] = new Dictionary<string, string>(values);
            return Task.CompletedTask;
        }
    }

    Task IFormDraftRepository.DeleteAsync(long memberId, string formId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            _drafts.Remove((memberId, formId));
            return Task.CompletedTask;
        }
    }
}
