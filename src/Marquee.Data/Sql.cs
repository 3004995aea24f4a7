using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Marquee.Data;

/// <summary>
/// One statement with its values, the transaction it joins and its cancellation: what <see cref="Sql"/> runs.
/// </summary>
public readonly record struct SqlStatement(string Text, SqlArguments? Arguments = null, DbTransaction? Transaction = null, CancellationToken CancellationToken = default);

/// <summary>
/// The named values a statement binds (<c>@name</c>), taken from an object's public properties when it is made (an
/// anonymous object at the call site, as <c>new { id, now }</c>). A value that is a list (not text or bytes) is
/// written out where the statement says <c>IN @name</c> as <c>(@name1, @name2, …)</c>; an empty list matches nothing.
/// </summary>
public sealed class SqlArguments
{
    private readonly List<(string Name, object? Value, Type Type)> _values = [];

    private SqlArguments()
    {
    }

    internal IReadOnlyList<(string Name, object? Value, Type Type)> Values => _values;

    /// <summary>Reads the public properties of <paramref name="values"/>; each is a value named as the property.</summary>
    /// <exception cref="ArgumentException">The values are typed as <see cref="object"/>, whose properties are none (type them as what they are), or are a list of rows.</exception>
    public static SqlArguments Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(T values)
        where T : notnull
    {
        if (typeof(T) == typeof(object))
        {
            throw new ArgumentException($"The statement's values are typed as object, which has no properties to bind; type them as {values.GetType().Name}.", nameof(values));
        }

        if (values is IEnumerable and not string)
        {
            throw new ArgumentException("The statement's values are a list: a statement binds one row's values; run it once per row (a prepared row statement) instead.", nameof(values));
        }

        var arguments = new SqlArguments();
        foreach (var property in PropertiesOf<T>.All)
        {
            arguments._values.Add((property.Name, property.GetValue(values), property.PropertyType));
        }

        return arguments;
    }

    /// <summary>Adds or replaces the value named <paramref name="name"/>.</summary>
    public SqlArguments With<T>(string name, T value)
    {
        _values.RemoveAll(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
        _values.Add((name, value, typeof(T)));
        return this;
    }

    private static class PropertiesOf<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>
    {
        public static readonly PropertyInfo[] All = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .ToArray();
    }
}

/// <summary>
/// Runs statements on a connection and turns their rows into values, records, classes or tuples, by reflection over
/// types named at the call (kept whole by their annotations), never by code made at run time: an ahead-of-time
/// compiled Marquee runs them as a just-in-time compiled one does. Rows map as a micro-ORM maps them: a single value from
/// the first column; a tuple by position; a record through its constructor, a class through its settable properties, each
/// by name (case and underscores ignored: <c>flow_id</c> is <c>FlowId</c>); a NULL is the type's default. Values convert
/// to the declared type (an integer column to <see cref="int"/>, <see cref="bool"/> or an enum, for one).
/// </summary>
public static class Sql
{
    private const DynamicallyAccessedMemberTypes RowMembers = DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicProperties;

    /// <summary>Makes a statement that binds the public properties of <paramref name="arguments"/>.</summary>
    public static SqlStatement Statement<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string text, T arguments, CancellationToken cancellationToken, DbTransaction? transaction = null)
        where T : notnull =>
        new(text, arguments as SqlArguments ?? SqlArguments.Of(arguments), transaction, cancellationToken);

    /// <summary>Makes a statement with no values.</summary>
    public static SqlStatement Statement(string text, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(text, null, transaction, cancellationToken);

    public static async Task<int> ExecuteAsync(this DbConnection db, SqlStatement statement)
    {
        await using var command = Prepare(db, statement);
        return await command.ExecuteNonQueryAsync(statement.CancellationToken);
    }

    /// <summary>Runs the statement and returns the first column of its first row as <typeparamref name="T"/>; no row or NULL is the default.</summary>
    public static async Task<T> ExecuteScalarAsync<T>(this DbConnection db, SqlStatement statement)
    {
        await using var command = Prepare(db, statement);
        return To<T>(await command.ExecuteScalarAsync(statement.CancellationToken));
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<[DynamicallyAccessedMembers(RowMembers)] T>(this DbConnection db, SqlStatement statement)
    {
        var rows = new List<T>();
        await ReadAsync<T>(db, statement, int.MaxValue, rows);
        return rows;
    }

    /// <summary>The only row, or the default when there is none; more than one is an error.</summary>
    public static async Task<T?> QuerySingleOrDefaultAsync<[DynamicallyAccessedMembers(RowMembers)] T>(this DbConnection db, SqlStatement statement)
    {
        var rows = new List<T>(2);
        await ReadAsync<T>(db, statement, 2, rows);
        return rows.Count switch
        {
            0 => default,
            1 => rows[0],
            _ => throw new InvalidOperationException("The query returned more than one row."),
        };
    }

    /// <summary>The only row; none or more than one is an error.</summary>
    public static async Task<T> QuerySingleAsync<[DynamicallyAccessedMembers(RowMembers)] T>(this DbConnection db, SqlStatement statement)
    {
        var rows = new List<T>(2);
        await ReadAsync<T>(db, statement, 2, rows);
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException(rows.Count == 0 ? "The query returned no row." : "The query returned more than one row.");
    }

    /// <summary>The first row, or the default when there is none.</summary>
    public static async Task<T?> QueryFirstOrDefaultAsync<[DynamicallyAccessedMembers(RowMembers)] T>(this DbConnection db, SqlStatement statement)
    {
        var rows = new List<T>(1);
        await ReadAsync<T>(db, statement, 1, rows);
        return rows.Count == 0 ? default : rows[0];
    }

    /// <summary>Makes the statement's command on <paramref name="db"/>: its text (lists written out), its values and its transaction.</summary>
    public static DbCommand Prepare(DbConnection db, SqlStatement statement)
    {
        var command = db.CreateCommand();
        command.Transaction = statement.Transaction;
        var text = statement.Text;
        foreach (var (name, value, type) in statement.Arguments?.Values ?? [])
        {
            if (value is IEnumerable list and not string and not byte[])
            {
                text = Expand(command, text, name, list);
            }
            else if (Mentions(text, name) >= 0)
            {
                command.Parameters.Add(Parameter(command, name, value, type));
            }
        }

        command.CommandText = text;
        return command;
    }

    private static async Task ReadAsync<[DynamicallyAccessedMembers(RowMembers)] T>(DbConnection db, SqlStatement statement, int most, List<T> rows)
    {
        await using var command = Prepare(db, statement);
        await using var reader = await command.ExecuteReaderAsync(statement.CancellationToken);
        Func<DbDataReader, T>? read = null;
        while (rows.Count < most && await reader.ReadAsync(statement.CancellationToken))
        {
            read ??= RowReader<T>(reader);
            rows.Add(read(reader));
        }
    }

    /// <summary>How a row of <paramref name="reader"/> becomes a <typeparamref name="T"/>, decided once per query from its columns.</summary>
    private static Func<DbDataReader, T> RowReader<[DynamicallyAccessedMembers(RowMembers)] T>(DbDataReader reader)
    {
        var type = typeof(T);
        if (IsValue(type))
        {
            return r => To<T>(r.GetValue(0));
        }

        if (type.IsValueType && type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            var tuple = type.GetConstructors().Single();
            var items = tuple.GetParameters();
            if (items.Length > reader.FieldCount)
            {
                throw new InvalidOperationException($"The query returns {reader.FieldCount} columns for a tuple of {items.Length}.");
            }

            var positions = Enumerable.Range(0, items.Length).ToArray();
            return r => (T)tuple.Invoke(Values(r, items, positions));
        }

        var columns = new string[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
        }

        if (type.GetConstructor(Type.EmptyTypes) is { } empty)
        {
            var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();
            var setters = columns.Select(c => Best(settable, p => Fit(p.Name, c)) is var i and >= 0 ? settable[i] : null).ToArray();
            return r =>
            {
                var row = empty.Invoke(null);
                for (var i = 0; i < setters.Length; i++)
                {
                    if (setters[i] is { } property && !r.IsDBNull(i))
                    {
                        property.SetValue(row, Convert(r.GetValue(i), property.PropertyType));
                    }
                }

                return (T)row;
            };
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{type.Name} has no public constructor to make a row with.");
        var parameters = constructor.GetParameters();
        var sources = parameters.Select(p => Best(columns, c => Fit(p.Name!, c))).ToArray();
        return r => (T)constructor.Invoke(Values(r, parameters, sources));
    }

    /// <summary>The values for <paramref name="parameters"/>, each from the column <paramref name="sources"/> gives it (-1: none).</summary>
    private static object?[] Values(DbDataReader reader, ParameterInfo[] parameters, int[] sources)
    {
        var values = new object?[parameters.Length];
        for (var i = 0; i < values.Length; i++)
        {
            // A parameter with no column, or a NULL, is left null: reflection passes a value type's default for it.
            values[i] = sources[i] < 0 ? null : Convert(reader.GetValue(sources[i]), parameters[i].ParameterType);
        }

        return values;
    }

    /// <summary>How well <paramref name="column"/> names <paramref name="member"/>: 2 the same name, 1 the same with the column's underscores left out (case ignored both times), 0 not at all.</summary>
    private static int Fit(string member, string column) =>
        string.Equals(member, column, StringComparison.OrdinalIgnoreCase) ? 2
        : string.Equals(member, column.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase) ? 1
        : 0;

    /// <summary>The index of the first of <paramref name="candidates"/> that fits best, or -1 when none fits at all.</summary>
    private static int Best<TCandidate>(IReadOnlyList<TCandidate> candidates, Func<TCandidate, int> fit)
    {
        var best = -1;
        var bestFit = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var f = fit(candidates[i]);
            if (f > bestFit)
            {
                (best, bestFit) = (i, f);
            }
        }

        return best;
    }

    private static bool IsValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(byte[]) || t == typeof(Guid)
            || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(object);
    }

    /// <summary>A single value read as <typeparamref name="T"/>; NULL is its default.</summary>
    private static T To<T>(object? value) => Convert(value, typeof(T)) is { } converted ? (T)converted : default!;

    /// <summary>Converts what the driver read to <paramref name="target"/>: NULL to null, numbers between widths, integers to booleans and enums, text to enums and guids.</summary>
    internal static object? Convert(object? value, Type target)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type.IsInstanceOfType(value))
        {
            return value;
        }

        if (type.IsEnum)
        {
            return value is string name ? Enum.Parse(type, name, ignoreCase: true) : Enum.ToObject(type, System.Convert.ToInt64(value, CultureInfo.InvariantCulture));
        }

        if (type == typeof(Guid))
        {
            return value is byte[] bytes ? new Guid(bytes) : Guid.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!);
        }

        try
        {
            return System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidCastException($"A {value.GetType().Name} read from the store cannot be a {target.Name}: {ex.Message}", ex);
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, object? value, Type declared)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        var type = declared == typeof(object) && value is not null ? value.GetType() : declared;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            type = Enum.GetUnderlyingType(type);
            value = value is null ? null : System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
        }

        if (DbTypeOf(type) is { } dbType)
        {
            parameter.DbType = dbType;
        }

        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    private static DbType? DbTypeOf(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Byte => DbType.Byte,
        TypeCode.SByte => DbType.SByte,
        TypeCode.Int16 => DbType.Int16,
        TypeCode.UInt16 => DbType.UInt16,
        TypeCode.Int32 => DbType.Int32,
        TypeCode.UInt32 => DbType.UInt32,
        TypeCode.Int64 => DbType.Int64,
        TypeCode.UInt64 => DbType.UInt64,
        TypeCode.Single => DbType.Single,
        TypeCode.Double => DbType.Double,
        TypeCode.Decimal => DbType.Decimal,
        TypeCode.Boolean => DbType.Boolean,
        TypeCode.String => DbType.String,
        TypeCode.Char => DbType.StringFixedLength,
        TypeCode.DateTime => DbType.DateTime,
        _ when type == typeof(Guid) => DbType.Guid,
        _ when type == typeof(DateTimeOffset) => DbType.DateTimeOffset,
        _ when type == typeof(TimeSpan) => DbType.Time,
        _ when type == typeof(byte[]) => DbType.Binary,
        _ => null,
    };

    /// <summary>Writes <c>@name</c> out as <c>(@name1,@name2,…)</c> with a value each; an empty list as a list that matches no row.</summary>
    private static string Expand(DbCommand command, string text, string name, IEnumerable list)
    {
        var names = new StringBuilder("(");
        var count = 0;
        foreach (var item in list)
        {
            count++;
            var itemName = name + count.ToString(CultureInfo.InvariantCulture);
            names.Append(count == 1 ? "@" : ",@").Append(itemName);
            command.Parameters.Add(Parameter(command, itemName, item, item?.GetType() ?? typeof(object)));
        }

        var written = count == 0 ? "(SELECT NULL WHERE 1 = 0)" : names.Append(')').ToString();
        var result = new StringBuilder(text.Length + written.Length);
        var from = 0;
        for (var at = Mentions(text, name); at >= 0; at = Mentions(text, name, from))
        {
            result.Append(text, from, at - from).Append(written);
            from = at + name.Length + 1;
        }

        return result.Append(text, from, text.Length - from).ToString();
    }

    /// <summary>Where <c>@name</c> is in <paramref name="text"/> (case ignored) as a whole name, from <paramref name="from"/> on; -1 when it is not.</summary>
    private static int Mentions(string text, string name, int from = 0)
    {
        while (from < text.Length)
        {
            var at = text.IndexOf("@" + name, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return -1;
            }

            var end = at + name.Length + 1;
            if (end >= text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] == '_'))
            {
                return at;
            }

            from = end;
        }

        return -1;
    }
}
