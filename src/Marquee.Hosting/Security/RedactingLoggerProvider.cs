using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Hosting.Security;

/// <summary>
/// Wraps a logger provider so the webhook secret and the API key never reach a log: ASP.NET logs request paths and query
/// strings (at Information and Debug), the webhook URL carries the secret and a request may carry the key as
/// <c>?apikey=</c>. Messages, state values and scopes that contain either are rewritten with <c>***</c>.
/// </summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner, LoggedSecrets secret) : ILoggerProvider, ISupportExternalScope
{
    public const string Mask = "***";

    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName), secret);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(new RedactingScopeProvider(scopeProvider, secret));
        }
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces every <see cref="ILoggerProvider"/> registered so far with a redacting wrapper.</summary>
    public static void Wrap(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
            {
                continue;
            }

            Func<IServiceProvider, ILoggerProvider> create = descriptor switch
            {
                { ImplementationInstance: ILoggerProvider instance } => _ => instance,
                { ImplementationFactory: { } factory } => sp => (ILoggerProvider)factory(sp),
                { ImplementationType: { } type } => sp => (ILoggerProvider)ActivatorUtilities.CreateInstance(sp, type),
                _ => throw new InvalidOperationException("Unsupported logger provider registration."),
            };
            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new RedactingLoggerProvider(create(sp), new LoggedSecrets(sp.GetRequiredService<WebhookSecret>(), sp.GetRequiredService<ApiKey>())));
        }
    }

    internal static string Redact(string text, string[] values)
    {
        foreach (var value in values)
        {
            text = value.Length == 0 || text.Length < value.Length ? text : text.Replace(value, Mask, StringComparison.Ordinal).Replace(Uri.EscapeDataString(value), Mask, StringComparison.Ordinal);
        }

        return text;
    }

    internal static bool Contains(string? text, string[] values) =>
        text is not null && Array.Exists(values, value => value.Length > 0 && (text.Contains(value, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(value), StringComparison.Ordinal)));

    private static object? RedactState(object? state, string[] value)
    {
        if (state is null)
        {
            return null;
        }

        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            var list = pairs.ToList();
            if (Contains(state.ToString(), value) || list.Any(p => Contains(p.Value?.ToString(), value)))
            {
                return new RedactedState(
                    list.Select(p => new KeyValuePair<string, object?>(p.Key, Contains(p.Value?.ToString(), value) ? Redact(p.Value!.ToString()!, value) : p.Value)).ToList(),
                    Redact(state.ToString() ?? string.Empty, value));
            }

            return state;
        }

        return Contains(state.ToString(), value) ? Redact(state.ToString()!, value) : state;
    }

    private sealed class Logger(ILogger inner, LoggedSecrets secret) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            var redacted = RedactState(state, secret.Value);
            return ReferenceEquals(redacted, state) ? inner.BeginScope(state) : inner.BeginScope(redacted!);
        }

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var value = secret.Value;
            var message = formatter(state, exception);
            var redacted = RedactState(state, value);
            if (!Contains(message, value) && ReferenceEquals(redacted, state))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var clean = Redact(message, value);
            var pairs = redacted as RedactedState ?? new RedactedState([], clean);
            inner.Log(logLevel, eventId, pairs, exception, (_, _) => clean);
        }
    }

    private sealed class RedactingScopeProvider(IExternalScopeProvider inner, LoggedSecrets secret) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope((scope, s) => callback(RedactState(scope, secret.Value), s), state);

        public IDisposable Push(object? state) => inner.Push(state);
    }

    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> pairs, string text) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => pairs.Count;

        public KeyValuePair<string, object?> this[int index] => pairs[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => pairs.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => text;
    }
}
