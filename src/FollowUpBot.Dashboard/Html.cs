using System.Text;
using System.Text.Encodings.Web;

namespace FollowUpBot.Dashboard;

/// <summary>
/// Writes a page. Everything that comes from data goes through <see cref="Text"/> or an attribute value and is
/// encoded; only the page's own constant markup goes through <see cref="Raw"/>. Members' names, companies and roles
/// are whatever they typed, so nothing of theirs is ever written raw.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _page = new(16 * 1024);
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public Html Raw(string markup)
    {
        _page.Append(markup);
        return this;
    }

    public Html Text(string? text)
    {
        if (!string.IsNullOrEmpty(text)) Encoder.Encode(new StringWriter(_page), text);
        return this;
    }

    public Html Text(int number) => Raw(number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>&lt;tag attr="value"...&gt; with the values encoded.</summary>
    public Html Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _page.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null) continue;
            _page.Append(' ').Append(name).Append("=\"");
            Encoder.Encode(new StringWriter(_page), value);
            _page.Append('"');
        }
        _page.Append('>');
        return this;
    }

    public Html Close(string tag) => Raw($"</{tag}>");

    /// <summary>&lt;tag&gt;text&lt;/tag&gt;.</summary>
    public Html Element(string tag, string? text, params (string Name, string? Value)[] attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    public Html Link(string href, string text, params (string Name, string? Value)[] attributes) =>
        Open("a", [("href", href), .. attributes]).Text(text).Close("a");

    public override string ToString() => _page.ToString();
}
