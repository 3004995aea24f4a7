namespace Marquee.Core.Providers;

/// <summary>A problem tied to one settings field (or to no field when <see cref="Field"/> is empty).</summary>
public sealed record FieldProblem(string Field, string Message);
