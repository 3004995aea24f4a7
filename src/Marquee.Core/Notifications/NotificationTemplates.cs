using System.Collections.Concurrent;
using System.Globalization;
using Fluid;
using Fluid.Values;

namespace Marquee.Core.Notifications;

/// <summary>
/// Renders Liquid templates (Fluid) in a sandbox: no file or network access (includes find no file), no functions,
/// bounded steps, loop collections, output and time. Only the variables of <see cref="NotificationVariables.Catalogue"/>
/// exist; any other name is an error, so a typo is caught when the channel is saved.
/// </summary>
public sealed class NotificationTemplates
{
    public const int MaxTemplateLength = 4000;
    public const int MaxOutput = 8000;
    public const int MaxSteps = 20_000;
    public const int MaxCollection = 1000;
    private const int MaxCached = 512;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    // The Liquid engine (its parser, options and parsed templates) is made at the first template checked or rendered: a
    // process that never renders one (a sync from the command line, a server without channels) never loads it.
    private readonly Lazy<Engine> _engine = new(static () => new Engine());

    // A catalogue variable without a value is nil (falsy); any other name is a mistake worth a clear error.
    private static ValueTask<FluidValue> Undefined(string name, Type? parent) =>
        parent is null && NotificationVariables.Catalogue.ContainsKey(name)
            ? ValueTask.FromResult<FluidValue>(NilValue.Instance)
            : throw new InvalidOperationException($"Undefined variable '{name}'.");

    /// <summary>Parses a template; returns why it is not valid Liquid (or too long, or reaching for a file), or null.</summary>
    public string? Check(string template)
    {
        if (template.Length > MaxTemplateLength)
        {
            return $"A template has at most {MaxTemplateLength} characters.";
        }

        if (ContainsFileTag(template))
        {
            return "Templates cannot include or render other files.";
        }

        return Engine.Parser.TryParse(template, out _, out var error) ? null : $"Not valid Liquid: {error?.ReplaceLineEndings(" ").Trim()}";
    }

    /// <summary>Parses and renders <paramref name="template"/> with the sample values; returns why it fails, or null.</summary>
    public async Task<string?> ValidateAsync(string template, CancellationToken cancellationToken)
    {
        if (Check(template) is { } problem)
        {
            return problem;
        }

        try
        {
            await RenderAsync(template, NotificationVariables.Sample(NotificationTriggers.Play), cancellationToken);
            return null;
        }
        catch (TemplateException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Renders a template; throws <see cref="TemplateException"/> with a clear message when it cannot.</summary>
    public async Task<string> RenderAsync(string template, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        // A template checked once is kept parsed: a channel's template is the same on every message.
        var engine = _engine.Value;
        if (!engine.Cache.TryGetValue(template, out var parsed))
        {
            if (Check(template) is { } problem)
            {
                throw new TemplateException(problem);
            }

            if (engine.Cache.Count >= MaxCached)
            {
                engine.Cache.Clear(); // templates tried through the API must not grow the cache without end
            }

            parsed = engine.Cache.GetOrAdd(template, static t => Engine.Parser.Parse(t));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var context = new TemplateContext(engine.Options) { CancellationToken = timeout.Token };
        foreach (var (name, value) in variables)
        {
            context.SetValue(name, value is null ? NilValue.Instance : FluidValue.Create(value, engine.Options));
        }

        try
        {
            var text = await parsed.RenderAsync(context);
            return text.Trim();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TemplateException($"The template took longer than {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s to render.");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or NotSupportedException or IndexOutOfRangeException or FileNotFoundException or Parlot.ParseException or FluidException)
        {
            throw new TemplateException(Explain(ex));
        }
    }

    private static string Explain(Exception ex) => ex.Message switch
    {
        var m when m.Contains("undefined", StringComparison.OrdinalIgnoreCase) => $"Unknown variable: {m} Known: {string.Join(", ", NotificationVariables.Catalogue.Keys)}.",
        var m when m.Contains("steps", StringComparison.OrdinalIgnoreCase) => $"The template runs too long (more than {MaxSteps} steps): {m}",
        var m when m.Contains("output", StringComparison.OrdinalIgnoreCase) => $"The template's output is too long (more than {MaxOutput} characters): {m}",
        var m when m.Contains("collection", StringComparison.OrdinalIgnoreCase) => $"A loop or list in the template is too large (more than {MaxCollection} items): {m}",
        var m => $"The template failed to render: {m}",
    };

    private static bool ContainsFileTag(string template)
    {
        foreach (var tag in new[] { "include", "render", "layout", "section" })
        {
            var at = 0;
            while ((at = template.IndexOf("{%", at, StringComparison.Ordinal)) >= 0)
            {
                var rest = template[(at + 2)..].TrimStart(' ', '-', '\t', '\r', '\n');
                if (rest.StartsWith(tag, StringComparison.Ordinal) && (rest.Length == tag.Length || !char.IsLetterOrDigit(rest[tag.Length])))
                {
                    return true;
                }

                at += 2;
            }
        }

        return false;
    }

    /// <summary>Fluid's parser (one for the process), the render options and the templates parsed so far.</summary>
    private sealed class Engine
    {
        public static readonly FluidParser Parser = new(new FluidParserOptions { AllowFunctions = false, AllowLiquidTag = false });

        public ConcurrentDictionary<string, IFluidTemplate> Cache { get; } = new(StringComparer.Ordinal);

        public TemplateOptions Options { get; } = new TemplateOptionsBuilder()
            .WithUndefined(Undefined)
            .WithMaxSteps(MaxSteps)
            .WithMaxOutputSize(MaxOutput)
            .WithMaxCollectionSize(MaxCollection)
            .WithMaxRecursion(10)
            .WithCultureInfo(CultureInfo.InvariantCulture)
            .WithTimeZone(TimeZoneInfo.Utc)
            .Build();
    }
}

/// <summary>A template that cannot be parsed or rendered, with why.</summary>
public sealed class TemplateException(string message) : Exception(message);
