using Marquee.Cli;

var code = await MarqueeCli.RunAsync(args, Console.Out, Console.Error);

// Not in --help: lists the assemblies the run loaded, so a test can check that a command that does not serve leaves the web host unloaded.
if (Environment.GetEnvironmentVariable("MARQUEE_DIAG_ASSEMBLIES") == "1")
{
    foreach (var name in AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Order(StringComparer.Ordinal))
    {
        await Console.Error.WriteLineAsync($"assembly: {name}");
    }
}

return code;
