using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// <c>/interview edit id:N</c> with any <c>/interview done</c> option: validated exactly like <c>/interview done</c>
/// (the same per-field errors; nothing changes unless everything is right), then the interview's waiting nudges are
/// re-planned and the answer says what changed, what moved and what comes next.
/// </summary>
internal sealed class InterviewEditing(Replanner replanner, InterviewCommands commands)
{
    private const string Example = "/interview edit id:2 decision-date:2026-12-10";

    public async Task<IReadOnlyList<OutboundAction>> EditAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        var given = options.Where(o => o.Key != "id" && InterviewForm.Names.Contains(o.Key))
            .ToDictionary(o => o.Key, o => o.Value.Trim(), StringComparer.Ordinal);
        if (given.Count == 0)
            return [Reply($"What should I change? Add any /interview done option, for example {Example}. Nothing changed.")];
        var (interview, problem) = await commands.ResolveAsync(turn, options, "edit", Example, cancellationToken);
        if (interview is null) return [Reply(problem!)];

        // What is stored, as the member would type it, with the given options on top; an empty "ended" keeps the end time.
        var values = Values(interview, turn);
        foreach (var (name, value) in given) values[name] = value;
        var answers = InterviewForm.Validate(values, turn.Now, turn.Zone, requireAll: true, out var errors, endedWhenEmpty: interview.EndedAt);
        if (answers is null)
        {
            var lines = errors.OrderBy(e => InterviewForm.Names.ToList().IndexOf(e.Key)).Select(e => $"• {e.Key}: {e.Value}");
            return [Reply($"I could not change {Wording.Short(interview)}, so nothing changed:\n{string.Join('\n', lines)}\n" +
                          $"For example: {Example.Replace("id:2", $"id:{interview.Number}")}")];
        }

        var edited = interview with
        {
            Company = answers.Company, Role = answers.Role, Interviewers = answers.Interviewers, Format = answers.Format,
            EndedAt = answers.EndedAt, DecisionDate = answers.DecisionDate, FollowUpInvited = answers.FollowUpInvited,
            References = answers.References, Notes = answers.Notes,
        };
        var changed = Changes(interview, edited, turn).ToList();
        if (changed.Count == 0) return [Reply($"{Wording.Name(interview)} already says that; nothing changed.")];

        var replanned = await replanner.ReplanAsync(turn, edited, [], cancellationToken);
        var answer = new List<string> { $"Updated {Wording.Short(edited)}: {string.Join("; ", changed)}." };
        answer.AddRange(Replanner.Describe(turn, replanned));
        return [Reply(string.Join('\n', answer))];
    }

    /// <summary>The stored interview in the words of /interview done's options.</summary>
    private static Dictionary<string, string> Values(Interview interview, Turn turn) => new(StringComparer.Ordinal)
    {
        [InterviewForm.Company] = interview.Company,
        [InterviewForm.Role] = interview.Role ?? "",
        [InterviewForm.Interviewers] = string.Join(", ", interview.Interviewers),
        [InterviewForm.Format] = interview.Format.ToString().ToLowerInvariant(),
        [InterviewForm.DecisionDate] = interview.DecisionDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        [InterviewForm.FollowUpInvited] = interview.FollowUpInvited ? "yes" : "no",
        [InterviewForm.References] = string.Join(", ", interview.References),
        [InterviewForm.Notes] = interview.Notes ?? "",
    };

    private static IEnumerable<string> Changes(Interview before, Interview after, Turn turn)
    {
        static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
        static string? Change(string what, string old, string now) => old == now ? null : $"{what} {old} → {now}";
        return new[]
        {
            Change("company", before.Company, after.Company),
            Change("role", before.Role ?? "none", after.Role ?? "none"),
            Change("interviewers", Names(before.Interviewers), Names(after.Interviewers)),
            Change("format", Wording.FormatName(before.Format), Wording.FormatName(after.Format)),
            Change("ended", turn.Local(before.EndedAt), turn.Local(after.EndedAt)),
            Change("decision date", Decision(before.DecisionDate), Decision(after.DecisionDate)),
            Change("direct follow-up invited", before.FollowUpInvited ? "yes" : "no", after.FollowUpInvited ? "yes" : "no"),
            Change("references", Names(before.References), Names(after.References)),
            before.Notes == after.Notes ? null : "notes replaced",
        }.OfType<string>();
    }

    private static string Decision(DateOnly? date) => date is { } d ? Wording.Day(d) : "not said";

    private static Reply Reply(string text) => new(new Message(text));
}
