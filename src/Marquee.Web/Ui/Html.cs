using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Marquee.Web.Ui;

/// <summary>Markup that is safe to write as it is: built by <see cref="H"/>, whose holes are HTML-encoded unless they are <see cref="Html"/> themselves.</summary>
public readonly record struct Html(string Value)
{
    public static Html Empty { get; } = new(string.Empty);

    public static Html H(HtmlBuilder builder) => builder.ToHtml();

    public static Html Join<T>(IEnumerable<T> items, Func<T, Html> render) => new(string.Concat(items.Select(i => render(i).Value)));

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    public override string ToString() => Value;
}

/// <summary>Builds <see cref="Html"/> from an interpolated string: literal parts are markup, every value is encoded.</summary>
[InterpolatedStringHandler]
public readonly struct HtmlBuilder
{
    private readonly StringBuilder _text;

    public HtmlBuilder(int literalLength, int formattedCount) => _text = new StringBuilder(literalLength + (formattedCount * 16));

    public void AppendLiteral(string value) => _text.Append(value);

    public void AppendFormatted(Html value) => _text.Append(value.Value);

    public void AppendFormatted(string? value) => _text.Append(HtmlEncoder.Default.Encode(value ?? string.Empty));

    public void AppendFormatted<T>(T value) => AppendFormatted(Convert.ToString(value, CultureInfo.InvariantCulture));

    public void AppendFormatted<T>(T value, string format)
        where T : IFormattable => AppendFormatted(value.ToString(format, CultureInfo.InvariantCulture));

    public Html ToHtml() => new(_text.ToString());
}
