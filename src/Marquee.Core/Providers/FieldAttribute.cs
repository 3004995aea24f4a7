namespace Marquee.Core.Providers;

/// <summary>Describes one settings property so forms, validation and masking can be derived from it.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FieldAttribute(int order, string label) : Attribute
{
    public int Order { get; } = order;

    public string Label { get; } = label;

    public FieldKind Kind { get; init; } = FieldKind.Text;

    /// <summary>Gets a value indicating whether the value is encrypted at rest, masked in responses and never logged.</summary>
    public bool Secret { get; init; }

    public bool Advanced { get; init; }

    /// <summary>Gets a value indicating whether the provider replaces the value itself (a rotating token); a declared configuration then never overwrites a stored one.</summary>
    public bool Renewed { get; init; }

    public string? HelpText { get; init; }
}
