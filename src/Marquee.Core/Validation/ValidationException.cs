using Marquee.Core.Providers;

namespace Marquee.Core.Validation;

/// <summary>Input was rejected; each problem names the field at fault.</summary>
public sealed class ValidationException(IReadOnlyList<FieldProblem> problems)
    : Exception(string.Join(" ", problems.Select(p => p.Message)))
{
    public IReadOnlyList<FieldProblem> Problems { get; } = problems;

    public static ValidationException For(string field, string message) => new([new FieldProblem(field, message)]);
}
