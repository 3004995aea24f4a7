using Marquee.TestKit;

namespace Marquee.Cli.Tests.Infrastructure;

/// <summary>Runs the CLI in-process against a data folder of its own.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly TempFolder _folder = new();

    public CliRunner(IDictionary<string, string>? environment = null)
    {
        Environment = environment ?? new Dictionary<string, string>();
    }

    public string DataFolder => _folder.Combine("data");

    public string Folder => _folder.Path;

    public IDictionary<string, string> Environment { get; }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    /// <summary>Runs with <paramref name="input"/> as standard input.</summary>
    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var withData = args.Contains("--data") ? args : [.. args, "--data", DataFolder];
        var code = await MarqueeCli.RunAsync(withData, output, error, name => Environment.TryGetValue(name, out var value) ? value : null, reader);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and asserts success, returning standard output.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Code == 0, $"marquee {string.Join(' ', args)} exited {result.Code}: {result.Error}{result.Output}");
        return result.Output;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed record CliResult(int Code, string Output, string Error);
