using System.Globalization;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Dashboard;

/// <summary>How the cohort table is ordered and filtered (from the query string, checked).</summary>
public sealed record TableView(string Sort, bool Descending, bool NeedsAWordOnly)
{
    public static IReadOnlyList<string> Sorts { get; } = ["name", "progress", "thank-yous", "follow-ups", "quiet", "stage"];

    public static TableView Parse(string? sort, string? order, string? filter) => new(
        Sorts.Contains(sort ?? "") ? sort! : "name",
        string.Equals(order, "desc", StringComparison.Ordinal),
        string.Equals(filter, "needs-a-word", StringComparison.Ordinal));

    public string Query(string? sort = null, bool? descending = null, bool? needsOnly = null)
    {
        var parts = new List<string> { $"sort={sort ?? Sort}" };
        if (descending ?? Descending) parts.Add("order=desc");
        if (needsOnly ?? NeedsAWordOnly) parts.Add("filter=needs-a-word");
        return "?" + string.Join("&", parts);
    }
}

/// <summary>
/// The web view's pages, written from <see cref="CoachNumbers"/> alone: whatever a member's level hides is absent
/// from the numbers already (null fields, no names in totals), so a page cannot show it by mistake.
/// </summary>
internal static class DashboardPages
{
    public const string Root = "/dashboard";

    private const string Style = """
        body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
        header{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:.6rem 1.2rem;background:#0072B2;color:#fff}
        header a{color:#fff;font-weight:600;text-decoration:none}header form{margin:0}
        button{font:inherit;padding:.3rem .8rem;border-radius:4px;border:1px solid #555;background:#fff;cursor:pointer}
        main{padding:1rem 1.2rem;max-width:1200px}h1{font-size:1.5rem;margin:.2rem 0 .8rem}h2{font-size:1.15rem;margin:1.4rem 0 .4rem}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.35rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
        th a{color:inherit}tbody tr:nth-child(even){background:#f3f6f9}td.n,th.n{text-align:right}
        .hidden{color:#767676}.note{color:#555;font-size:.92rem}.flag{display:inline-block;margin:0 .3rem .2rem 0;padding:0 .45rem;border-radius:3px;background:#FBE3D0;color:#6b2c00;font-size:.88rem}
        nav.tabs a{margin-right:1rem}img.chart{max-width:100%;height:auto;border:1px solid #ddd;background:#fff}
        ul{padding-left:1.2rem}
        """;

    public static string Layout(string title, string nonce, Action<Html> body, bool signedIn = true, string? script = null)
    {
        var html = new Html();
        html.Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"same-origin\">")
            .Element("title", title + " · FollowUpBot")
            .Open("style", ("nonce", nonce)).Raw(Style).Close("style")
            .Raw("</head><body><header>").Link(Root, "FollowUpBot · your cohorts");
        if (signedIn)
            html.Open("form", ("method", "post"), ("action", Root + "/logout")).Raw("<button type=\"submit\">Sign out</button></form>");
        html.Raw("</header><main>");
        body(html);
        html.Raw("</main>");
        if (script is not null) html.Open("script", ("nonce", nonce)).Raw(script).Close("script");
        return html.Raw("</body></html>").ToString();
    }

    public static string Message(string title, string text, string nonce, bool signedIn = false) =>
        Layout(title, nonce, h => h.Element("h1", title).Element("p", text), signedIn);

    /// <summary>
    /// The page a link opens. The token is in the fragment, which the browser keeps to itself: the script posts it
    /// (so no server or proxy log ever holds it) and wipes it from the address bar and history.
    /// </summary>
    public static string Login(string nonce) => Layout("Signing in", nonce, h => h
            .Element("h1", "Signing you in…")
            .Open("form", ("id", "login"), ("method", "post"), ("action", Root + "/login"))
            .Raw("<input type=\"hidden\" name=\"token\" id=\"token\"><button type=\"submit\">Continue</button></form>")
            .Element("p", "This page opens the link /cohort dashboard gave you. No link here: ask the bot for a new one with /cohort dashboard.",
                ("id", "none"), ("hidden", "hidden"))
            .Raw("<noscript><p>Signing in needs JavaScript: the link's key stays in your browser and is sent only by this page.</p></noscript>"),
        signedIn: false,
        script: """
            const token = location.hash.slice(1);
            history.replaceState(null, "", location.pathname);
            if (token) { document.getElementById("token").value = token; document.getElementById("login").submit(); }
            else { document.getElementById("none").hidden = false; }
            """);

    public static string Cohorts(IReadOnlyList<Cohort> cohorts, string nonce) => Layout("Your cohorts", nonce, h =>
    {
        h.Element("h1", "Your cohorts");
        if (cohorts.Count == 0)
        {
            h.Element("p", "You coach no cohort (any more). Create one with /cohort create.");
            return;
        }
        h.Raw("<ul>");
        foreach (var cohort in cohorts)
            h.Raw("<li>").Link(CohortPath(cohort.Id), cohort.Name).Raw("</li>");
        h.Raw("</ul>");
    });

    public static string CohortPath(long cohortId) => $"{Root}/cohorts/{cohortId.ToString(CultureInfo.InvariantCulture)}";

    public static string MemberPath(long cohortId, long memberId) => $"{CohortPath(cohortId)}/members/{memberId.ToString(CultureInfo.InvariantCulture)}";

    public static string Cohort(CoachNumbers numbers, TableView view, bool chart, string nonce) => Layout(numbers.Cohort.Name, nonce, h =>
    {
        var id = numbers.Cohort.Id;
        h.Element("h1", numbers.Cohort.Name);
        Tabs(h, id, "table");
        h.Element("p", $"As of {CoachReport.LocalTime(numbers.Now, numbers.Zone)} ({numbers.Zone.Id}). {Counted(numbers.Members.Count, "member")}, each shown at the level they chose.",
            ("class", "note"));

        h.Element("h2", "Coming up");
        List(h, CoachReport.UpcomingLines(numbers));
        h.Element("h2", CoachReport.StagesHeading);
        List(h, [CoachReport.StagesLine(numbers), CoachReport.ClosedLine(numbers), CoachReport.TrendLines(numbers)[0], .. CoachReport.Uncounted(numbers)]);
        if (chart) Chart(h, numbers);

        var rows = Order(numbers.Members.Where(m => !view.NeedsAWordOnly || m.Reasons.Count > 0), view).ToList();
        h.Element("h2", view.NeedsAWordOnly ? $"Members who may need a word ({rows.Count})" : $"Members ({rows.Count})", ("id", "members"));
        h.Open("p").Link(CohortPath(id) + view.Query(needsOnly: !view.NeedsAWordOnly) + "#members",
            view.NeedsAWordOnly ? "Show everyone" : "Only those who may need a word", ("id", "filter")).Close("p");
        h.Open("table", ("id", "cohort-table")).Raw("<thead><tr>");
        Header(h, id, view, "name", "Member");
        h.Raw("<th>Shares</th>");
        Header(h, id, view, "progress", "In progress", numeric: true);
        Header(h, id, view, "thank-yous", "Thank-yous overdue", numeric: true);
        Header(h, id, view, "follow-ups", "Follow-ups due", numeric: true);
        Header(h, id, view, "quiet", "Days quiet", numeric: true);
        Header(h, id, view, "stage", "Furthest stage");
        h.Raw("<th>Companies</th><th>May need a word</th></tr></thead><tbody>");
        foreach (var member in rows)
        {
            var row = member.Status;
            h.Raw("<tr><td>").Link(MemberPath(id, member.MemberId), member.Name).Raw("</td>");
            h.Element("td", member.Visibility.Name());
            h.Element("td", N(row.InProgress), ("class", "n")).Element("td", N(row.ThankYousOverdue), ("class", "n"))
                .Element("td", N(row.FollowUpsDue), ("class", "n")).Element("td", N(row.DaysSinceActivity), ("class", "n"));
            Cell(h, member.FurthestStage is { } stage ? CoachReport.StageLabel(stage) : member.Visibility == CohortVisibility.FullDetail ? "none open" : null);
            Cell(h, row.Companies is { } companies ? (companies.Count == 0 ? "none open" : string.Join(", ", companies)) : null);
            h.Raw("<td>");
            foreach (var reason in member.Reasons) h.Element("span", CoachReport.ReasonLabel(reason), ("class", "flag"));
            h.Raw("</td></tr>");
        }
        h.Raw("</tbody></table>");
    });

    public static string Member(CoachNumbers numbers, CoachMemberLine member, string nonce) => Layout(member.Name, nonce, h =>
    {
        var row = member.Status;
        h.Element("h1", member.Name);
        h.Open("p", ("class", "note")).Text($"In {numbers.Cohort.Name}, sharing {member.Visibility.Describe()}. ")
            .Text("This page shows exactly that, as of now; their debrief notes are never shown. ")
            .Link(CohortPath(numbers.Cohort.Id), "Back to the cohort").Close("p");
        h.Raw("<table id=\"member-status\"><tbody>");
        Pair(h, "Applications in progress", N(row.InProgress));
        Pair(h, "Thank-yous overdue", N(row.ThankYousOverdue));
        Pair(h, "Follow-ups due", N(row.FollowUpsDue));
        Pair(h, "Days since last activity", N(row.DaysSinceActivity));
        Pair(h, "May need a word", member.Reasons.Count == 0 ? "no" : string.Join(", ", member.Reasons.Select(CoachReport.ReasonLabel)));
        if (row.Companies is { } companies) Pair(h, "Companies in progress", companies.Count == 0 ? "none open" : string.Join(", ", companies));
        if (member.Visibility == CohortVisibility.FullDetail)
        {
            Pair(h, "Last outcome", row.LastOutcome ?? "none yet");
            Pair(h, "Rejections in a row", N(row.RejectionsInARow ?? 0));
        }
        h.Raw("</tbody></table>");

        if (member.Applications is { } applications)
        {
            h.Element("h2", "Open applications");
            if (applications.Count == 0) h.Element("p", "None open.");
            else
            {
                h.Raw("<table id=\"applications\"><thead><tr><th>Company</th><th>Role</th><th>Round</th><th>Stage</th><th>Interviewed</th>")
                    .Raw("<th>Decision expected</th><th>Next round</th><th>Offer deadline</th></tr></thead><tbody>");
                foreach (var a in applications)
                {
                    h.Raw("<tr>").Element("td", a.Company).Element("td", a.Role ?? "").Element("td", N(a.Round), ("class", "n"))
                        .Element("td", CoachReport.StageLabel(a.Stage)).Element("td", CoachReport.LocalTime(a.InterviewedAt, numbers.Zone))
                        .Element("td", a.DecisionDate is { } d ? CoachReport.Day(d) : "")
                        .Element("td", a.NextRoundAt is { } r ? CoachReport.LocalTime(r, numbers.Zone) : "")
                        .Element("td", a.OfferDeadline is { } o ? CoachReport.Day(o) : "").Raw("</tr>");
                }
                h.Raw("</tbody></table>");
            }
            var upcoming = numbers.Upcoming.Named.Where(i => i.MemberId == member.MemberId).ToList();
            h.Element("h2", "Coming up");
            List(h, upcoming.Count == 0 ? ["Nothing dated in the next week."] : upcoming.Select(i => CoachReport.Describe(i, numbers.Zone)).ToList());
        }
        else
        {
            h.Element("p", member.Visibility == CohortVisibility.WithCompanies
                ? "They share companies but not roles, dates, stages or outcomes."
                : "They share counts only: no companies, roles, dates, stages or outcomes.", ("class", "note"));
        }
    });

    public static string Trends(CoachNumbers numbers, bool chart, string nonce) => Layout($"{numbers.Cohort.Name}: trends", nonce, h =>
    {
        h.Element("h1", $"{numbers.Cohort.Name}: trends");
        Tabs(h, numbers.Cohort.Id, "trends");
        List(h, [.. CoachReport.TrendLines(numbers), .. CoachReport.Uncounted(numbers)]);
        if (chart) Chart(h, numbers);
        h.Raw("<table id=\"weeks\"><thead><tr><th>Week of</th><th class=\"n\">Interviews</th><th class=\"n\">Follow-ups</th>")
            .Raw("<th class=\"n\">Next rounds</th><th class=\"n\">Offers</th><th class=\"n\">Rejections</th><th class=\"n\">Other outcomes</th></tr></thead><tbody>");
        foreach (var week in numbers.Weeks)
        {
            h.Raw("<tr>").Element("td", CoachReport.Day(week.WeekOf));
            foreach (var value in new[] { week.Interviews, week.FollowUps, week.NextRounds, week.Offers, week.Rejections, week.OtherOutcomes })
                h.Element("td", N(value), ("class", "n"));
            h.Raw("</tr>");
        }
        h.Raw("</tbody></table>");
        h.Element("h2", CoachReport.StagesHeading);
        List(h, [CoachReport.StagesLine(numbers), CoachReport.ClosedLine(numbers)]);
    });

    private static void Tabs(Html h, long cohortId, string current)
    {
        h.Raw("<nav class=\"tabs\">");
        foreach (var (key, label, path) in new[] { ("table", "Members", CohortPath(cohortId)), ("trends", "Trends", CohortPath(cohortId) + "/trends") })
        {
            if (key == current) h.Element("strong", label).Raw(" ");
            else h.Link(path, label).Raw(" ");
        }
        h.Raw("</nav>");
    }

    private static void Chart(Html h, CoachNumbers numbers) =>
        h.Open("p").Open("img", ("class", "chart"), ("src", CohortPath(numbers.Cohort.Id) + "/chart.png"),
            ("alt", CohortChart.From(numbers).AltText), ("width", "1000"), ("height", "520")).Close("p");

    private static void Header(Html h, long cohortId, TableView view, string sort, string label, bool numeric = false)
    {
        var current = view.Sort == sort;
        var descending = current ? !view.Descending : numeric;
        h.Open("th", ("class", numeric ? "n" : null), ("aria-sort", current ? (view.Descending ? "descending" : "ascending") : null))
            .Link(CohortPath(cohortId) + view.Query(sort, descending) + "#members", label + (current ? (view.Descending ? " ▼" : " ▲") : ""))
            .Close("th");
    }

    private static IEnumerable<CoachMemberLine> Order(IEnumerable<CoachMemberLine> members, TableView view)
    {
        // Hidden stages sort as if lowest, so "furthest stage" never orders members by what they did not share.
        Func<CoachMemberLine, IComparable> key = view.Sort switch
        {
            "progress" => m => m.Status.InProgress,
            "thank-yous" => m => m.Status.ThankYousOverdue,
            "follow-ups" => m => m.Status.FollowUpsDue,
            "quiet" => m => m.Status.DaysSinceActivity,
            "stage" => m => m.FurthestStage is { } s ? CoachNumbers.StageRank(s) : -1,
            _ => m => m.Name.ToUpperInvariant(),
        };
        var ordered = view.Descending ? members.OrderByDescending(key) : members.OrderBy(key);
        return ordered.ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.MemberId);
    }

    private static void Cell(Html h, string? text)
    {
        if (text is null) h.Element("td", "—", ("class", "hidden"), ("title", "not shared at this member's level"));
        else h.Element("td", text);
    }

    private static void Pair(Html h, string name, string value) => h.Raw("<tr>").Element("th", name).Element("td", value).Raw("</tr>");

    private static void List(Html h, IReadOnlyList<string> lines)
    {
        h.Raw("<ul>");
        foreach (var line in lines) h.Element("li", line);
        h.Raw("</ul>");
    }

    private static string Counted(int n, string what) => n == 1 ? $"1 {what}" : $"{N(n)} {what}s";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
