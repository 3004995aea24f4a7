namespace Marquee.Core.Configuration;

/// <summary>marquee.yaml could not be read or applied; the message names the file, the line and the reason.</summary>
public sealed class ConfigFileException(string file, int line, string reason, Exception? inner = null)
    : Exception($"{file}:{line}: {reason}", inner)
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
