namespace Marquee.Bench;

/// <summary>One benchmark scenario; runs in a process of its own so its memory and CPU figures are its own.</summary>
public interface IBenchScenario
{
    string Name { get; }

    string Title { get; }

    Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}

/// <summary>What a scenario runs with: the size (quick or full), a scratch folder and a log for progress lines.</summary>
public sealed record ScenarioContext(bool Quick, string DataFolder, TextWriter Log);
