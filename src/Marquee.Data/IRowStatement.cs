namespace Marquee.Data;

/// <summary>
/// One statement prepared once and run for many rows on an open connection (inside its transaction): the engine's own
/// way to write a large batch, where a command per row would make a parameter, a binder and a reader for every value.
/// </summary>
public interface IRowStatement : IDisposable
{
    /// <summary>Runs the statement with <paramref name="values"/>, in the order of the names it was prepared with; returns the first column of the first row it returns (<c>RETURNING id</c>), else null.</summary>
    long? Run(ReadOnlySpan<RowValue> values);
}
