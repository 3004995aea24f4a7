using Marquee.Core.Providers;

namespace Marquee.Core.Connections;

/// <summary>The outcome of testing a connection: whether it works and, when it does not, the reason and the fields at fault.</summary>
public sealed record ConnectionTestOutcome(bool Ok, string? Reason, IReadOnlyList<FieldProblem> Problems)
{
    public static ConnectionTestOutcome From(IReadOnlyList<FieldProblem> problems) =>
        new(problems.Count == 0, problems.Count == 0 ? null : string.Join("; ", problems.Select(p => p.Field.Length == 0 ? p.Message : $"{p.Field}: {p.Message}")), problems);
}
