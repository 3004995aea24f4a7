using System.CommandLine;

namespace Marquee.Cli;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    public static Option<string?> Data { get; } = new("--data")
    {
        Description = "Data folder (database, keys, marquee.yaml). Default ./data, or MARQUEE_DATA.",
        Recursive = true,
        HelpName = "DIR",
    };

    public static Option<string?> Config { get; } = new("--config")
    {
        Description = "Declarative configuration file to apply at start. Default marquee.yaml in the working folder or the data folder, or MARQUEE_CONFIG.",
        Recursive = true,
        HelpName = "FILE",
    };

    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log informational messages and show details of unexpected errors.",
        Recursive = true,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON for scripts instead of a table.",
    };
}
