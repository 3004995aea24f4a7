using System.Diagnostics;

namespace Marquee.Hosting.Security;

/// <summary>
/// The key every <c>/api</c> request must carry: kept in the data folder's <c>api-key</c> file (owner-only), written at
/// the first start. A key rotated by <c>marquee apikey --rotate</c> is picked up by a running server within seconds.
/// </summary>
public sealed class ApiKey
{
    public const string FileName = "api-key";

    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private State? _state;

    public ApiKey(MarqueeOptions options)
        : this(options.DataFolder)
    {
    }

    public ApiKey(string dataFolder) => FilePath = Path.Combine(Path.GetFullPath(dataFolder), FileName);

    public string FilePath { get; }

    /// <summary>Gets the key. For the user who asks for it (<c>marquee apikey</c>) and for redaction; never log it.</summary>
    public string Value => Current().Value;

    /// <summary>Compares in constant time.</summary>
    public bool Matches(string? given) => SecretFile.Matches(Current().Hash, given);

    /// <summary>Writes a new key; the old one stops working (here at once, in a running server within seconds).</summary>
    public string Rotate()
    {
        var key = SecretFile.NewSecret();
        SecretFile.Write(FilePath, key);
        lock (_lock)
        {
            _state = Load();
        }

        return key;
    }

    private State Current()
    {
        lock (_lock)
        {
            if (_state is null || Stopwatch.GetElapsedTime(_state.CheckedAt) > RecheckInterval)
            {
                _state = _state is not null && File.Exists(FilePath) && File.GetLastWriteTimeUtc(FilePath) == _state.Written
                    ? _state with { CheckedAt = Stopwatch.GetTimestamp() }
                    : Load();
            }

            return _state;
        }
    }

    private State Load()
    {
        var value = SecretFile.ReadOrCreate(FilePath);
        var written = File.Exists(FilePath) ? File.GetLastWriteTimeUtc(FilePath) : DateTime.MinValue;
        return new State(value, SecretFile.Hash(value), written, Stopwatch.GetTimestamp());
    }

    private sealed record State(string Value, byte[] Hash, DateTime Written, long CheckedAt);
}
