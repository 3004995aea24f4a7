namespace Marquee.Core.Validation;

/// <summary>The request conflicts with what is stored (a duplicate name, a connection still used by a flow).</summary>
public sealed class ConflictException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
