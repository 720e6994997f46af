using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Testing;

/// <summary>Cohorts, memberships, digest runs, and members' data deletion, with the SQL store's semantics.</summary>
public sealed partial class InMemoryRepositories : ICohortRepository, IMemberDataRepository
{
    private readonly Dictionary<long, Cohort> _cohorts = [];
    private readonly Dictionary<(long CohortId, long MemberId), CohortMembership> _memberships = [];
    private readonly Dictionary<string, (long CohortId, bool? Posted)> _digestRuns = [];
    private long _nextCohortId = 1;

    public IReadOnlyList<Cohort> Cohorts { get { lock (_gate) return _cohorts.Values.OrderBy(c => c.Id).ToList(); } }
    public IReadOnlyList<CohortMembership> Memberships { get { lock (_gate) return _memberships.Values.OrderBy(m => (m.CohortId, m.MemberId)).ToList(); } }
    public IReadOnlyDictionary<string, bool?> DigestRuns { get { lock (_gate) return _digestRuns.ToDictionary(p => p.Key, p => p.Value.Posted); } }

    public int DraftCount { get { lock (_gate) return _drafts.Count; } }

    public Task<Cohort?> TryAddAsync(Cohort cohort, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (_cohorts.Values.Any(c => c.JoinCode == cohort.JoinCode)) return Task.FromResult<Cohort?>(null);
            var stored = cohort with { Id = _nextCohortId++ };
            _cohorts[stored.Id] = stored;
            return Task.FromResult<Cohort?>(stored);
        }
    }

    Task<Cohort?> ICohortRepository.GetAsync(long cohortId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_cohorts.GetValueOrDefault(cohortId));
    }

    public Task<Cohort?> FindByJoinCodeAsync(string joinCode, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_cohorts.Values.FirstOrDefault(c => c.JoinCode == joinCode));
    }

    public Task<IReadOnlyList<Cohort>> ListByCoachAsync(long coachMemberId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Cohort>>(_cohorts.Values.Where(c => c.CoachMemberId == coachMemberId)
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList());
        }
    }

    public Task<IReadOnlyList<Cohort>> ListAllAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<Cohort>>(_cohorts.Values.OrderBy(c => c.Id).ToList());
    }

    public Task UpdateAsync(Cohort cohort, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!_cohorts.TryGetValue(cohort.Id, out var current)) throw new InvalidOperationException($"No cohort {cohort.Id}.");
            _cohorts[cohort.Id] = current with
            {
                Name = cohort.Name, ChannelId = cohort.ChannelId, TimeZoneId = cohort.TimeZoneId, DigestSchedule = cohort.DigestSchedule,
            };
            return Task.CompletedTask;
        }
    }

    public Task SaveMembershipAsync(CohortMembership membership, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!_cohorts.ContainsKey(membership.CohortId) || !_members.ContainsKey(membership.MemberId))
                throw new InvalidOperationException("No such cohort or member.");
            var key = (membership.CohortId, membership.MemberId);
            _memberships[key] = _memberships.TryGetValue(key, out var existing)
                ? existing with { Visibility = membership.Visibility, DisplayName = membership.DisplayName }
                : membership;
            return Task.CompletedTask;
        }
    }

    public Task<bool> RemoveMembershipAsync(long cohortId, long memberId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            return Task.FromResult(_memberships.Remove((cohortId, memberId)));
        }
    }

    public Task<IReadOnlyList<CohortMembership>> ListMembershipsAsync(long cohortId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CohortMembership>>(_memberships.Values.Where(m => m.CohortId == cohortId)
                .OrderBy(m => m.MemberId).ToList());
        }
    }

    public Task<IReadOnlyList<CohortMemberActivity>> ReadActivityAsync(long cohortId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            // As the SQL store: the nudges of rounds whose own outcome left them open.
            return Task.FromResult<IReadOnlyList<CohortMemberActivity>>(_memberships.Values
                .Where(m => m.CohortId == cohortId && _members.ContainsKey(m.MemberId))
                .OrderBy(m => m.MemberId)
                .Select(m =>
                {
                    var interviews = _interviews.Values.Where(i => i.MemberId == m.MemberId).OrderBy(i => i.Number).ToList();
                    var open = interviews.Where(i => i.IsOpen).Select(i => i.Id).ToHashSet();
                    var nudges = _nudges.Values.Where(n => open.Contains(n.InterviewId)).OrderBy(n => n.DueAt).ThenBy(n => n.Id).ToList();
                    return new CohortMemberActivity(m, _members[m.MemberId], interviews, nudges);
                }).ToList());
        }
    }

    public Task<IReadOnlyList<(Cohort Cohort, CohortMembership Membership)>> ListJoinedAsync(long memberId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<(Cohort, CohortMembership)>>(_memberships.Values.Where(m => m.MemberId == memberId)
                .Select(m => (_cohorts[m.CohortId], m)).OrderBy(x => x.Item1.Name, StringComparer.OrdinalIgnoreCase).ToList());
        }
    }

    public Task<bool> TryStartDigestAsync(long cohortId, string runKey, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            return Task.FromResult(_cohorts.ContainsKey(cohortId) && _digestRuns.TryAdd(runKey, (cohortId, null)));
        }
    }

    public Task CompleteDigestAsync(long cohortId, string runKey, bool posted, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (_digestRuns.ContainsKey(runKey)) _digestRuns[runKey] = (cohortId, posted);
            if (posted && _cohorts.TryGetValue(cohortId, out var cohort)) _cohorts[cohortId] = cohort with { LastDigestAt = at };
            return Task.CompletedTask;
        }
    }

    public Task<MemberDataRemoval> DeleteMemberAsync(long memberId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            var interviewIds = _interviews.Values.Where(i => i.MemberId == memberId).Select(i => i.Id).ToList();
            var nudgeIds = _nudges.Values.Where(n => n.MemberId == memberId || interviewIds.Contains(n.InterviewId)).Select(n => n.Id).OrderBy(id => id).ToList();
            var cohortIds = _cohorts.Values.Where(c => c.CoachMemberId == memberId).Select(c => c.Id).ToList();
            var memberships = _memberships.Keys.Where(k => k.MemberId == memberId).ToList();
            var drafts = _drafts.Keys.Where(k => k.MemberId == memberId).ToList();

            var removedMember = _members.Remove(memberId);
            // Their web view links and sessions go with the member row (ON DELETE CASCADE in the SQL store).
            foreach (var key in _links.Where(l => l.Value.Coach == memberId).Select(l => l.Key).ToList()) _links.Remove(key);
            foreach (var key in _sessions.Where(s => s.Value.Coach == memberId).Select(s => s.Key).ToList()) _sessions.Remove(key);
            foreach (var id in interviewIds) _interviews.Remove(id);
            foreach (var id in nudgeIds) _nudges.Remove(id);
            foreach (var key in memberships) _memberships.Remove(key);
            foreach (var key in drafts) _drafts.Remove(key);
            foreach (var id in cohortIds)
            {
                _cohorts.Remove(id);
                foreach (var key in _memberships.Keys.Where(k => k.CohortId == id).ToList()) _memberships.Remove(key);
                foreach (var run in _digestRuns.Where(r => r.Value.CohortId == id).Select(r => r.Key).ToList()) _digestRuns.Remove(run);
            }
            return Task.FromResult(new MemberDataRemoval(removedMember, interviewIds.Count, nudgeIds, memberships.Count, cohortIds, drafts.Count));
        }
    }

    public Task<RetentionRemoval> DeleteInterviewsClosedBeforeAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            // As the SQL store: whole processes whose latest round ended them before the cutoff.
            var ended = _interviews.Values.Where(i => i.Outcome is { } o && o.EndsTheRound() && i.OutcomeAt is { } at && at < closedBefore)
                .Select(i => i.ProcessId).ToHashSet();
            var old = _interviews.Values.Where(i => ended.Contains(i.ProcessId)).Select(i => i.Id).ToList();
            var nudgeIds = _nudges.Values.Where(n => old.Contains(n.InterviewId)).Select(n => n.Id).OrderBy(id => id).ToList();
            foreach (var id in old) _interviews.Remove(id);
            foreach (var id in nudgeIds) _nudges.Remove(id);
            return Task.FromResult(new RetentionRemoval(old.Count, nudgeIds));
        }
    }
}
