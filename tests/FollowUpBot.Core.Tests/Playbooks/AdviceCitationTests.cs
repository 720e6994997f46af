using System.Text.RegularExpressions;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Tests.Planning;

namespace FollowUpBot.Core.Tests.Playbooks;

/// <summary>
/// Every rule and source the playbook cites resolves in docs/advice.md, the project's own advice digest:
/// a community that tunes the playbook can follow each step back to the advice behind it.
/// </summary>
public partial class AdviceCitationTests
{
    [Fact]
    public void EveryRuleAndSourceTheShippedPlaybookCitesIsDefinedInTheAdviceDigest()
    {
        var unresolved = AdviceDigest.Shipped.Unresolved(PlanningFixture.ShippedPlaybook);

        Assert.Empty(unresolved);
    }

    [Fact]
    public void ACitationOfAnUnknownSourceOrRuleIsReported()
    {
        var shipped = PlanningFixture.ShippedPlaybook;
        var first = shipped.Steps[0];
        var broken = shipped with
        {
            Steps = [first with { Rule = "R9", Sources = [.. first.Sources, "005", "001 §9"] }, .. shipped.Steps.Skip(1)],
        };

        var unresolved = AdviceDigest.Shipped.Unresolved(broken);

        Assert.Equal(
            [$"{first.Kind}: rule R9", $"{first.Kind}: source 005", $"{first.Kind}: source 001 §9"],
            unresolved);
    }

    [Fact]
    public void TheDigestDefinesRulesOneToEightAndEverySeedArticle()
    {
        var digest = AdviceDigest.Shipped;

        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"R{n}"), digest.Rules.Order());
        Assert.All(new[] { "000", "001", "002", "003", "004" }, id => Assert.Contains(id, digest.Sources));
    }

    /// <summary>The rules (<c>## R1 ...</c> headings) and citable sources (backticked ids under "## Sources") of the digest.</summary>
    private sealed record AdviceDigest(IReadOnlySet<string> Rules, IReadOnlySet<string> Sources)
    {
        public static AdviceDigest Shipped { get; } = Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "advice.md")));

        public static AdviceDigest Parse(string markdown)
        {
            var rules = RuleHeading().Matches(markdown).Select(m => m.Groups[1].Value).ToHashSet();
            var sourcesSection = SourcesSection().Match(markdown);
            Assert.True(sourcesSection.Success, "docs/advice.md has no '## Sources' section");
            var sources = Citation().Matches(sourcesSection.Groups[1].Value).Select(m => m.Groups[1].Value).ToHashSet();
            return new AdviceDigest(rules, sources);
        }

        public IReadOnlyList<string> Unresolved(Playbook playbook)
        {
            var cited = playbook.Steps.Select(s => (Where: s.Kind.ToString(), s.Rule, s.Sources))
                .Concat(playbook.Questions.Select(q => (Where: $"question {q.Id}", q.Rule, q.Sources)));
            var problems = new List<string>();
            foreach (var (where, rule, sources) in cited)
            {
                if (!Rules.Contains(rule)) problems.Add($"{where}: rule {rule}");
                problems.AddRange(sources.Where(s => !Sources.Contains(s)).Select(s => $"{where}: source {s}"));
            }
            return problems;
        }
    }

    [GeneratedRegex(@"^## (R\d+) ", RegexOptions.Multiline)]
    private static partial Regex RuleHeading();

    [GeneratedRegex(@"^## Sources\s*$(.*?)^## ", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SourcesSection();

    [GeneratedRegex(@"`(\d{3}(?: §\d+)?)`")]
    private static partial Regex Citation();
}
