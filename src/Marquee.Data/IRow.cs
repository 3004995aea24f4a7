using System.Data.Common;

namespace Marquee.Data;

/// <summary>
/// The row a read is on, taken column by column by number: through the engine's own reader where it has one
/// (<see cref="IDatabaseProvider.TryReadRows"/>), else through the driver's data reader (<see cref="DataReaderRow"/>).
/// A value asked for as a number or text that is NULL is an error (<see cref="InvalidOperationException"/>), as the
/// driver's reader makes it; ask <see cref="IsDBNull"/> first where a column may be empty.
/// </summary>
public interface IRow
{
    bool IsDBNull(int column);

    long GetInt64(int column);

    double GetDouble(int column);

    string GetString(int column);
}

/// <summary>A row of the driver's data reader, for engines without a reader of their own and for reads they do not take.</summary>
public sealed class DataReaderRow(DbDataReader reader) : IRow
{
    public bool IsDBNull(int column) => reader.IsDBNull(column);

    public long GetInt64(int column) => reader.GetInt64(column);

    public double GetDouble(int column) => reader.GetDouble(column);

    public string GetString(int column) => reader.GetString(column);
}
