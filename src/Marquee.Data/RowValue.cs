using System.Globalization;

namespace Marquee.Data;

/// <summary>
/// One value of a row written by a <see cref="IRowStatement"/>: null, an integer, a real, text or bytes, held without boxing.
/// A large batch binds millions of numbers (the reference library's first run: ten or more per ledger row), and an
/// <see cref="object"/> per number was the largest share of what a run allocated after the strings.
/// </summary>
public readonly struct RowValue : IEquatable<RowValue>
{
    private readonly long _number;
    private readonly double _real;
    private readonly object? _reference;

    private RowValue(RowValueKind kind, long number, double real, object? reference)
    {
        Kind = kind;
        _number = number;
        _real = real;
        _reference = reference;
    }

    public static RowValue Null => default;

    public RowValueKind Kind { get; }

    /// <summary>Gets the text of a <see cref="RowValueKind.Text"/> value.</summary>
    public string? Text => _reference as string;

    /// <summary>Gets the bytes of a <see cref="RowValueKind.Blob"/> value.</summary>
    public byte[]? Blob => _reference as byte[];

    /// <summary>Gets the number of a <see cref="RowValueKind.Number"/> value (an integer).</summary>
    public long Number => Kind == RowValueKind.Number ? _number : throw new InvalidOperationException($"The value is {Kind}, not an integer.");

    /// <summary>Gets the number of a <see cref="RowValueKind.Real"/> value.</summary>
    public double Real => Kind == RowValueKind.Real ? _real : throw new InvalidOperationException($"The value is {Kind}, not a real.");

    public static implicit operator RowValue(long value) => new(RowValueKind.Number, value, 0, null);

    public static implicit operator RowValue(int value) => new(RowValueKind.Number, value, 0, null);

    public static implicit operator RowValue(bool value) => new(RowValueKind.Number, value ? 1 : 0, 0, null);

    public static implicit operator RowValue(double value) => new(RowValueKind.Real, 0, value, null);

    public static implicit operator RowValue(string? value) => value is null ? default : new(RowValueKind.Text, 0, 0, value);

    /// <summary>Refused where it is written: a character would otherwise widen to an integer and be stored as its number.</summary>
    [Obsolete("A character would be stored as its number: write it as a string.", error: true)]
    public static implicit operator RowValue(char value) => value.ToString();

    public static implicit operator RowValue(byte[]? value) => value is null ? default : new(RowValueKind.Blob, 0, 0, value);

    public static implicit operator RowValue(long? value) => value is { } v ? (RowValue)v : Null;

    public static implicit operator RowValue(int? value) => value is { } v ? (RowValue)v : Null;

    public static implicit operator RowValue(double? value) => value is { } v ? (RowValue)v : Null;

    public static bool operator ==(RowValue left, RowValue right) => left.Equals(right);

    public static bool operator !=(RowValue left, RowValue right) => !left.Equals(right);

    public static RowValue FromInt64(long value) => value;

    public static RowValue FromDouble(double value) => value;

    public static RowValue FromString(string? value) => value;

    public static RowValue FromByteArray(byte[]? value) => value;

    /// <summary>Gets the value as a driver's parameter takes it (boxed; <see cref="DBNull"/> for null).</summary>
    public object ToObject() => Kind switch
    {
        RowValueKind.Number => _number,
        RowValueKind.Real => _real,
        RowValueKind.Text or RowValueKind.Blob => _reference!,
        _ => DBNull.Value,
    };

    public bool Equals(RowValue other) => Kind == other.Kind && _number == other._number && _real.Equals(other._real) && Equals(_reference, other._reference);

    public override bool Equals(object? obj) => obj is RowValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _number, _real, _reference);

    public override string ToString() => Kind switch
    {
        RowValueKind.Number => _number.ToString(CultureInfo.InvariantCulture),
        RowValueKind.Real => _real.ToString(CultureInfo.InvariantCulture),
        RowValueKind.Text => Text!,
        RowValueKind.Blob => $"{Blob!.Length} bytes",
        _ => "null",
    };
}

/// <summary>What a <see cref="RowValue"/> holds.</summary>
public enum RowValueKind
{
    Null,
    Number,
    Real,
    Text,
    Blob,
}
