using Marquee.Core.Configuration;
using Marquee.Core.Storage;
using Marquee.Hosting.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Hosting;

/// <summary>What every start does before work begins: migrate the store, then apply marquee.yaml if there is one.</summary>
public sealed partial class MarqueeStartup(IDatabase database, MarqueeOptions options, EnvironmentLookup environment, ApiKey apiKey, IServiceProvider services, ILogger<MarqueeStartup> logger)
{
    public const string ConfigFileName = "marquee.yaml";

    public async Task<ApplyResult?> InitializeAsync(CancellationToken cancellationToken)
    {
        if (YoungGenerationPacer.Problem(options.Memory.YoungGenerationMB) is { } problem)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(MemoryOptions), typeof(MemoryOptions), [problem]);
        }

        YoungGenerationPacer.Start(options.Memory.YoungGenerationMB);
        EnsureDataFolder();
        await database.MigrateAsync(cancellationToken);

        // Written at the first start, so that 'marquee apikey' and the server agree from then on.
        _ = apiKey.Value;
        var file = FindConfigFile();
        if (file is null)
        {
            return null;
        }

        var config = DeclarativeConfigReader.ReadFile(file, environment.Get);
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DeclarativeConfigApplier>().ApplyAsync(config, cancellationToken);
        foreach (var change in result.Changes)
        {
            Log.ConfigChange(logger, file, change);
        }

        if (config.Care is { } care)
        {
            foreach (var change in await scope.ServiceProvider.GetRequiredService<Marquee.Core.Care.CareDeclarations>().ApplyAsync(file, care, cancellationToken))
            {
                Log.ConfigChange(logger, file, change);
            }
        }

        foreach (var warning in result.Warnings)
        {
            Log.ConfigWarning(logger, file, warning);
        }

        return result;
    }

    /// <summary>Returns the declarative file in use: the configured one (which must exist), else marquee.yaml in the working folder or the data folder.</summary>
    public string? FindConfigFile()
    {
        if (!string.IsNullOrWhiteSpace(options.ConfigFile))
        {
            return File.Exists(options.ConfigFile)
                ? Path.GetFullPath(options.ConfigFile)
                : throw new ConfigFileException(options.ConfigFile, 0, "the file does not exist");
        }

        return new[] { Path.GetFullPath(ConfigFileName), Path.Combine(Path.GetFullPath(options.DataFolder), ConfigFileName) }
            .FirstOrDefault(File.Exists);
    }

    private void EnsureDataFolder()
    {
        var folder = Path.GetFullPath(options.DataFolder);
        try
        {
            SecretFile.CreateFolder(folder);
            if (!OperatingSystem.IsWindows())
            {
                var keys = Directory.CreateDirectory(Path.Combine(folder, "keys"));
                keys.UnixFileMode = SecretFile.OwnerOnlyFolder;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"The data folder {folder} cannot be created or written: {ex.Message}", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{File}: {Change}")]
        public static partial void ConfigChange(ILogger logger, string file, string change);

        [LoggerMessage(2, LogLevel.Warning, "{File}: {Warning}")]
        public static partial void ConfigWarning(ILogger logger, string file, string warning);
    }
}
