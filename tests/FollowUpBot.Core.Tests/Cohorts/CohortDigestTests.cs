using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using static FollowUpBot.Core.Tests.Cohorts.CohortFacts;

namespace FollowUpBot.Core.Tests.Cohorts;

public sealed class CohortDigestTests
{
    private static string AllText(IReadOnlyList<Message> pages) => string.Join("\n", pages.Select(p => p.Text));

    private static MessageSection Section(IReadOnlyList<Message> pages, string heading) =>
        pages.SelectMany(p => p.Sections).First(s => s.Heading.StartsWith(heading, StringComparison.Ordinal));

    [Fact]
    public void DigestShowsOverdueQuietAndRepeatedlyRejectedMembers()
    {
        var ana = Busy(CohortVisibility.FullDetail, "Ana", 1);
        var bob = Member("Bob", CohortVisibility.StatusOnly, Now.AddDays(-20), id: 2);
        var offer = Interview(31, "Hooli", "Data Engineer", Now.AddDays(-12), Outcome.Offer, Now.AddDays(-2));
        var cara = Member("Cara", CohortVisibility.FullDetail, Now.AddDays(-3), [offer], id: 3);

        var pages = CohortDigest.Build(Cohort(lastDigestAt: Now.AddDays(-7)), [ana, bob, cara], Now, Zone);

        var page = Assert.Single(pages);
        Assert.Equal("Fall 2026: digest, Mon 7 Dec 2026", page.Title);
        var status = Section(pages, "Status").Table!;
        Assert.Equal(["Ana", "Bob", "Cara", "Total (3)"], status.Rows.Select(r => r[0]));
        Assert.Equal("1 overdue", status.Rows[0][2]);
        Assert.Equal("1 due", status.Rows[0][3]);
        Assert.Equal("20 (quiet)", status.Rows[1][4]);

        // Since the last digest (7 days ago): Ana's Initech rejection and Cara's offer; not Ana's older Globex one.
        Assert.Equal(
            ["Ana: rejected by Initech (Platform Engineer), 4 Dec", "Cara: offer from Hooli (Data Engineer), 5 Dec",
             "(1 member shares less than full detail, so their outcomes are not shown.)"],
            Section(pages, "Offers and rejections").Lines);
        Assert.Equal(["Bob: 20 days since last activity"], Section(pages, "Quiet").Lines);
        Assert.Equal(["Ana: 2 rejections in a row; a supportive word may help"], Section(pages, "Might welcome").Lines);
        Assert.DoesNotContain(SecretNotes, AllText(pages));
    }

    [Theory]
    [InlineData(CohortVisibility.StatusOnly)]
    [InlineData(CohortVisibility.WithCompanies)]
    public void BelowFullDetailTheDigestShowsNoOutcomesNorRejectionStreak(CohortVisibility level)
    {
        var pages = CohortDigest.Build(Cohort(lastDigestAt: Now.AddDays(-7)), [Busy(level)], Now, Zone);

        var text = AllText(pages);
        foreach (var hidden in new[] { "Initech", "Globex", "rejected", "rejections in a row", "Backend Engineer", SecretNotes })
            Assert.DoesNotContain(hidden, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(level == CohortVisibility.WithCompanies, text.Contains("Acme", StringComparison.Ordinal));
        Assert.Equal(["Nobody flagged."], Section(pages, "Might welcome").Lines);
    }

    [Fact]
    public void LongDigestIsSplitIntoMessagesWithinPlatformLimits()
    {
        var members = Enumerable.Range(1, 45)
            .Select(i => Busy(CohortVisibility.FullDetail, $"Member number {i:00} with a rather long display name", i)).ToList();

        var pages = CohortDigest.Build(Cohort(), members, Now, Zone);

        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages, p =>
        {
            Assert.True(p.Text.Length <= Message.MaxTextLength, $"{p.Text.Length} characters");
            Assert.True(p.Sections.Sum(s => s.Table?.Rows.Count ?? 0) <= MessagePager.MaxRowsPerPage);
        });
        Assert.Equal(46, pages.SelectMany(p => p.Sections).Sum(s => s.Table?.Rows.Count ?? 0)); // every member and the totals
        Assert.Equal($"Fall 2026: digest, Mon 7 Dec 2026 (1/{pages.Count})", pages[0].Title);
        Assert.Contains(pages.SelectMany(p => p.Sections), s => s.Heading == "Status (continued)");
    }

    [Fact]
    public void EmptyCohortDigestSaysHowToJoin()
    {
        var page = Assert.Single(CohortDigest.Build(Cohort(), [], Now, Zone));
        Assert.Contains("/cohort join code:K7MQ4T", page.Text);
    }
}
