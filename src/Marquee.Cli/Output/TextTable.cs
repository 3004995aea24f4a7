namespace Marquee.Cli.Output;

/// <summary>Plain aligned columns: readable on a terminal, stable in logs and pipes.</summary>
public static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, string empty)
    {
        var data = rows.Select(r => r.Select(c => c ?? string.Empty).ToArray()).ToList();
        if (data.Count == 0)
        {
            output.WriteLine(empty);
            return;
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, data.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(headers.ToArray(), widths).ToUpperInvariant());
        foreach (var row in data)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    public static void WriteFields(TextWriter output, IEnumerable<(string Name, string? Value)> fields)
    {
        var list = fields.ToList();
        var width = list.Max(f => f.Name.Length);
        foreach (var (name, value) in list)
        {
            output.WriteLine($"{(name + ":").PadRight(width + 2)}{value}");
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
