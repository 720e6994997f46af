using System.Text.Json;
using System.Text.Json.Serialization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Cohorts;

/// <summary>
/// Everything the bot stores about one member, as a JSON file: settings, interviews (with their own notes),
/// nudges, outcomes, cohort memberships and the cohorts they coach. Only this member's rows.
/// </summary>
public sealed class MemberDataExport(IInterviewRepository interviews, INudgeRepository nudges, ICohortRepository cohorts)
{
    public const string ContentType = "application/json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<Attachment> ExportAsync(Member member, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = await interviews.ListAsync(member.Id, openOnly: false, cancellationToken);
        var interviewExports = new List<object>();
        var firstRound = InterviewProcess.Of(all).SelectMany(p => p.Rounds.Select(r => (r.Id, p.Rounds[0].Number))).ToDictionary(x => x.Id, x => x.Number);
        foreach (var i in all)
        {
            var rows = await nudges.ListByInterviewAsync(i.Id, cancellationToken);
            interviewExports.Add(new
            {
                number = i.Number, company = i.Company, role = i.Role, interviewers = i.Interviewers, format = i.Format,
                endedAt = i.EndedAt, decisionDate = i.DecisionDate, followUpInvited = i.FollowUpInvited, references = i.References,
                notes = i.Notes, createdAt = i.CreatedAt, outcome = i.Outcome, outcomeAt = i.OutcomeAt,
                followUpsLogged = i.FollowUpsLogged, lastFollowUpAt = i.LastFollowUpAt, followUpTimes = i.FollowUpTimes,
                // The application this interview is a round of, named by the number of its first round.
                process = firstRound[i.Id], round = i.Round, stage = i.Stage, nextRoundAt = i.NextRoundAt, offerDeadline = i.OfferDeadline,
                openQuestions = i.OpenQuestions,
                nudges = rows.Select(n => new
                {
                    kind = n.Kind.Name(), dueAt = n.DueAt, interviewer = n.Interviewer, sequence = n.Sequence, state = n.State,
                    sentAt = n.SentAt, deliveries = n.Deliveries, markedAt = n.MarkedAt,
                }).ToList(),
            });
        }
        var joined = await cohorts.ListJoinedAsync(member.Id, cancellationToken);
        var coached = await cohorts.ListByCoachAsync(member.Id, cancellationToken);

        var document = new
        {
            exportedAt = now,
            member = new
            {
                platform = member.Key.Platform, workspace = member.Key.Workspace, userId = member.Key.UserId,
                createdAt = member.CreatedAt, lastActiveAt = member.LastActiveAt,
            },
            settings = new
            {
                timeZone = member.TimeZoneId, timeZoneSetByYou = member.TimeZoneSetByMember, quietHours = member.QuietHours.ToString(),
                holidayCountry = member.HolidayCountry,
            },
            interviews = interviewExports,
            cohortMemberships = joined.Select(j => new
            {
                cohort = j.Cohort.Name, visibility = j.Membership.Visibility.Name(), shownAs = j.Membership.DisplayName, joinedAt = j.Membership.JoinedAt,
            }).ToList(),
            cohortsCoached = coached.Select(c => new
            {
                name = c.Name, channel = c.ChannelId, joinCode = c.JoinCode, timeZone = c.TimeZoneId, digestSchedule = c.DigestSchedule,
                createdAt = c.CreatedAt, lastDigestAt = c.LastDigestAt,
            }).ToList(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        return new Attachment($"followupbot-data-{now.UtcDateTime:yyyy-MM-dd}.json", ContentType, bytes);
    }
}
