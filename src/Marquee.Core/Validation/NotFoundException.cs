namespace Marquee.Core.Validation;

/// <summary>A named thing does not exist.</summary>
public sealed class NotFoundException(string what, string key)
    : Exception($"No {what} '{key}'.")
{
    public string What { get; } = what;

    public string Key { get; } = key;
}
