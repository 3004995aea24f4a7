using System.CommandLine;
using Marquee.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Cli;

/// <summary>What a command runs with: its output streams, its parse result and the configuration built from both.</summary>
public sealed class CliContext(ParseResult parse, TextWriter output, TextWriter error, Func<string, string?> environment, TextReader? input = null)
{
    /// <summary>Gets standard input (secrets given as <c>-</c> are read from it).</summary>
    public TextReader Input { get; } = input ?? Console.In;

    public ParseResult Parse { get; } = parse;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Func<string, string?> Environment { get; } = environment;

    public bool Verbose => Parse.GetValue(GlobalOptions.Verbose);

    /// <summary>Builds configuration from every source, with the parsed command-line options last.</summary>
    public IConfiguration BuildConfiguration(IDictionary<string, string?>? extra = null)
    {
        var commandLine = new Dictionary<string, string?>();
        if (Parse.GetValue(GlobalOptions.Data) is { Length: > 0 } data)
        {
            commandLine[$"{MarqueeOptions.Section}:DataFolder"] = data;
        }

        if (Parse.GetValue(GlobalOptions.Config) is { Length: > 0 } config)
        {
            commandLine[$"{MarqueeOptions.Section}:ConfigFile"] = config;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            commandLine[key] = value;
        }

        return new ConfigurationBuilder().AddMarqueeSources(commandLine, Environment).Build();
    }

    /// <summary>Builds the shared services, migrates the store and applies marquee.yaml, then runs <paramref name="action"/> in a scope.</summary>
    public async Task<int> WithServicesAsync(Func<IServiceProvider, Task<int>> action, CancellationToken cancellationToken, IDictionary<string, string?>? extra = null)
    {
        var configuration = BuildConfiguration(extra);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.SetMinimumLevel(Verbose ? LogLevel.Information : LogLevel.Warning);
        });
        services.AddMarqueeServices(configuration, Environment);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MarqueeStartup>().InitializeAsync(cancellationToken);
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }
}
