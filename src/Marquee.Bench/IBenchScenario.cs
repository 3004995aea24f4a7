namespace Marquee.Bench;

/// <summary>One benchmark scenario; runs in a process of its own so its memory and CPU figures are its own.</summary>
public interface IBenchScenario
{
    string Name { get; }

    string Title { get; }

    Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A scenario that can continue from the set-up a scenario of the same group left behind, when a quick run puts
/// consecutive scenarios of one group into one process.
/// </summary>
public interface ISharedSetUpScenario : IBenchScenario
{
    string SetUpGroup { get; }
}

/// <summary>
/// What a scenario runs with: the size (quick or full), a scratch folder, a log for progress lines, and (when several
/// scenarios share a process) the set-up the scenario before handed on. With <see cref="SimHost"/>, a scenario that
/// can runs its simulated servers in a child process of that command, so its own figures are Marquee's alone. With
/// <see cref="Measured"/>, the scenarios that measure a <c>marquee</c> command in a process of its own (a sync, a server)
/// start that one instead (another build of Marquee, as the natively compiled one).
/// </summary>
public sealed record ScenarioContext(bool Quick, string DataFolder, TextWriter Log, SharedSetUp? Shared = null, ChildCommand? SimHost = null, ChildCommand? Measured = null)
{
    /// <summary>Gets the command measured in a process of its own: <see cref="Measured"/> when given, else <see cref="SimHost"/>; null when there is none to start.</summary>
    public ChildCommand? Marquee => SimHost is null ? null : Measured ?? SimHost;
}

/// <summary>Set-up handed from one scenario to the next in the same process: at most one object, disposed at the end when nobody took it.</summary>
public sealed class SharedSetUp : IAsyncDisposable
{
    private object? _held;

    /// <summary>Takes the held object if it is a <typeparamref name="T"/>; the taker owns it from then on.</summary>
    public T? Take<T>()
        where T : class
    {
        if (_held is not T held)
        {
            return null;
        }

        _held = null;
        return held;
    }

    /// <summary>Holds <paramref name="set"/> for the next scenario; what was held before and not taken is dropped.</summary>
    public async ValueTask HandOnAsync(object set)
    {
        await DisposeAsync();
        _held = set;
    }

    /// <summary>The held object if it is a <typeparamref name="T"/>, still held.</summary>
    public T? Peek<T>()
        where T : class => _held as T;

    public async ValueTask DisposeAsync()
    {
        var held = _held;
        _held = null;
        if (held is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
