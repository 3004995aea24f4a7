namespace Marquee.Simulators.Ntfy;

/// <summary>One message ntfy stored, as its publish answer shows it.</summary>
public sealed record NtfyMessage(
    string Id,
    long Time,
    long Expires,
    string Event,
    string Topic,
    string? Title,
    string Message,
    int? Priority,
    IReadOnlyList<string>? Tags,
    string? Click,
    string? Icon,
    bool? Markdown,
    string? Authorization)
{
    /// <summary>Gets the order of arrival, from 1.</summary>
    public long Sequence { get; init; }
}

/// <summary>The accepted credentials and every message published.</summary>
public sealed class NtfyState(NtfySimulatorOptions options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly List<NtfyMessage> _messages = [];
    private HashSet<string> _tokens = new(options.Tokens, StringComparer.Ordinal);
    private Dictionary<string, string> _users = new(options.Users, StringComparer.Ordinal);
    private long _sequence;

    public TimeProvider Clock { get; } = clock;

    public bool AuthRequired
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Count > 0 || _users.Count > 0;
            }
        }
    }

    public IReadOnlyList<NtfyMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public void SetAuth(IEnumerable<string>? tokens, IReadOnlyDictionary<string, string>? users)
    {
        lock (_gate)
        {
            _tokens = new HashSet<string>(tokens ?? [], StringComparer.Ordinal);
            _users = new Dictionary<string, string>(users ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        }
    }

    public bool TokenValid(string token)
    {
        lock (_gate)
        {
            return _tokens.Contains(token);
        }
    }

    public bool UserValid(string user, string password)
    {
        lock (_gate)
        {
            return _users.TryGetValue(user, out var expected) && string.Equals(expected, password, StringComparison.Ordinal);
        }
    }

    public NtfyMessage Store(NtfyMessage message)
    {
        lock (_gate)
        {
            var stored = message with { Sequence = ++_sequence };
            _messages.Add(stored);
            return stored;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
        }
    }
}
