using Marquee.Cli;

return await MarqueeCli.RunAsync(args, Console.Out, Console.Error);
