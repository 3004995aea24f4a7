using System.Globalization;
using System.Text;
using Marquee.Core.Validation;

namespace Marquee.Core.Notifications;

/// <summary>
/// A channel's condition on the variables of a message: <c>FIELD OPERATOR VALUE</c> terms joined by <c>and</c> and
/// <c>or</c> (<c>and</c> binds first), for example <c>user is anna and media_type is episode or library is not Kids</c>.
/// Operators: <c>is</c>, <c>is not</c>, <c>contains</c>, <c>does not contain</c>, <c>greater than</c>, <c>less than</c>
/// (numbers only). A value with spaces is quoted ("TV Shows"). Fields are the template variables; text compares
/// without case. A field without a value is not equal to anything (so <c>is not</c> holds) and no number.
/// </summary>
public sealed class NotificationCondition
{
    private readonly IReadOnlyList<IReadOnlyList<Term>> _any;

    private NotificationCondition(IReadOnlyList<IReadOnlyList<Term>> any) => _any = any;

    /// <summary>Reads a condition; a <see cref="ValidationException"/> on <paramref name="field"/> says what is wrong and where.</summary>
    public static NotificationCondition Parse(string text, string field = "condition")
    {
        var words = Tokens(text, field);
        var any = new List<IReadOnlyList<Term>>();
        var all = new List<Term>();
        var i = 0;
        while (true)
        {
            if (i >= words.Count)
            {
                throw Error(field, words.Count == 0 ? "The condition is empty." : "The condition ends after 'and' or 'or'; a term (FIELD is VALUE) is missing.");
            }

            var name = words[i++];
            if (!NotificationVariables.Catalogue.ContainsKey(name.Text) || name.Quoted)
            {
                throw Error(field, $"Unknown field '{name.Text}'; fields are the template variables: {string.Join(", ", NotificationVariables.Catalogue.Keys)}.");
            }

            var op = Operator(words, ref i, name.Text, field);
            if (i >= words.Count)
            {
                throw Error(field, $"'{name.Text} {Text(op)}' needs a value.");
            }

            var value = words[i++].Text;
            if (op is Op.Greater or Op.Less && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw Error(field, $"'{name.Text} {Text(op)}' needs a number, not '{value}'.");
            }

            all.Add(new Term(name.Text, op, value));
            if (i == words.Count)
            {
                any.Add(all);
                return new NotificationCondition(any);
            }

            var joiner = words[i++].Text.ToLowerInvariant();
            if (joiner == "or")
            {
                any.Add(all);
                all = [];
            }
            else if (joiner != "and")
            {
                throw Error(field, $"Expected 'and' or 'or' after '{name.Text} … {value}', found '{words[i - 1].Text}' (quote a value with spaces).");
            }
        }
    }

    /// <summary>Returns the problem with <paramref name="text"/>, or null when it reads.</summary>
    public static string? Check(string text)
    {
        try
        {
            Parse(text);
            return null;
        }
        catch (ValidationException ex)
        {
            return ex.Problems[0].Message;
        }
    }

    /// <summary>Whether the message with <paramref name="variables"/> is told.</summary>
    public bool Matches(IReadOnlyDictionary<string, object?> variables) =>
        _any.Any(all => all.All(t => t.Holds(variables.GetValueOrDefault(t.Field))));

    private static string Text(Op op) => op switch
    {
        Op.Is => "is",
        Op.IsNot => "is not",
        Op.Contains => "contains",
        Op.NotContains => "does not contain",
        Op.Greater => "greater than",
        _ => "less than",
    };

    private static Op Operator(List<Word> words, ref int i, string name, string field)
    {
        string Next(ref int at) => at < words.Count && !words[at].Quoted ? words[at++].Text.ToLowerInvariant() : string.Empty;
        var start = i;
        var first = Next(ref i);
        switch (first)
        {
            case "is":
                var save = i;
                if (Next(ref i) == "not")
                {
                    return Op.IsNot;
                }

                i = save;
                return Op.Is;
            case "contains":
                return Op.Contains;
            case "does" when Next(ref i) == "not" && Next(ref i) == "contain":
                return Op.NotContains;
            case "greater" when Next(ref i) == "than":
                return Op.Greater;
            case "less" when Next(ref i) == "than":
                return Op.Less;
            default:
                throw Error(field, $"Unknown operator after '{name}' ('{(start < words.Count ? words[start].Text : string.Empty)}'); operators: is, is not, contains, does not contain, greater than, less than.");
        }
    }

    private static List<Word> Tokens(string text, string field)
    {
        var words = new List<Word>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            if (text[i] is '"' or '\'')
            {
                var quote = text[i];
                var end = text.IndexOf(quote, i + 1);
                if (end < 0)
                {
                    throw Error(field, $"A quote ({quote}) at position {i + 1} is not closed.");
                }

                words.Add(new Word(text[(i + 1)..end], true));
                i = end + 1;
                continue;
            }

            var word = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                word.Append(text[i++]);
            }

            words.Add(new Word(word.ToString(), false));
        }

        if (text.Length > 2000)
        {
            throw Error(field, "The condition is at most 2,000 characters.");
        }

        return words;
    }

    private static ValidationException Error(string field, string message) => ValidationException.For(field, message);

    private enum Op
    {
        Is,
        IsNot,
        Contains,
        NotContains,
        Greater,
        Less,
    }

    private sealed record Word(string Text, bool Quoted);

    private sealed record Term(string Field, Op Op, string Value)
    {
        public bool Holds(object? actual)
        {
            var text = actual switch
            {
                null => null,
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => actual.ToString(),
            };
            var number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (double?)null;
            return Op switch
            {
                Op.Is => text is not null && string.Equals(text, Value, StringComparison.OrdinalIgnoreCase),
                Op.IsNot => text is null || !string.Equals(text, Value, StringComparison.OrdinalIgnoreCase),
                Op.Contains => text?.Contains(Value, StringComparison.OrdinalIgnoreCase) == true,
                Op.NotContains => text?.Contains(Value, StringComparison.OrdinalIgnoreCase) != true,
                Op.Greater => number > double.Parse(Value, CultureInfo.InvariantCulture),
                Op.Less => number < double.Parse(Value, CultureInfo.InvariantCulture),
                _ => false,
            };
        }
    }
}
