using Marquee.Bench.Infrastructure;
using Marquee.TestKit;

namespace Marquee.Bench.Tests;

/// <summary>A measured child process (what plex-jellyfin runs <c>marquee sync</c> in): its exit, its output, its peak and its time limit.</summary>
public sealed class ChildRunTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public async Task AChild_ItsExitCode_AndTheLastLinesOfItsOutput_AreKept()
    {
        using var folder = new TempFolder();

        var run = await ChildRun.RunAsync("/bin/sh", ["-c", "for i in $(seq 1 100); do echo line $i; done; echo failed >&2; exit 3"], folder.Path, NoEnvironment, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(ChildRun.KeptLines, run.Output.Count);
        Assert.Contains("line 100", run.Output);
        Assert.Contains("failed", run.Output);
        Assert.DoesNotContain("line 1", run.Output);
    }

    [Fact]
    public async Task AChildHolding50MB_IsMeasuredAtLeastThatHigh()
    {
        using var folder = new TempFolder();

        // dd reads 10,000 MB through one buffer of 50 MB: a second or more, so that a peak polled every 10 ms (when an
        // earlier child of the test process was larger, and the kernel's account does not rise) sees the buffer even on a
        // loaded machine, where 1,000 MB (half a second) was once missed.
        var run = await ChildRun.RunAsync("/bin/sh", ["-c", "exec dd if=/dev/zero of=/dev/null bs=50M count=200 status=none"], folder.Path, NoEnvironment, TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.PeakRssBytes >= 48L << 20, $"peak {run.PeakRssBytes} bytes ({(run.PeakExact ? "the kernel's account" : "polled")})");
        Assert.True(run.Cpu > TimeSpan.Zero && run.Cpu < run.Wall + TimeSpan.FromSeconds(1), $"CPU {run.Cpu}, wall {run.Wall}");
    }

    [Fact]
    public async Task AVariableGivenNull_IsRemovedFromTheChildsEnvironment_AndOneGivenAValueIsSet()
    {
        using var folder = new TempFolder();
        const string Inherited = "MARQUEE_CHILD_RUN_TEST_INHERITED";
        Environment.SetEnvironmentVariable(Inherited, "from the parent");
        try
        {
            var environment = new Dictionary<string, string?> { [Inherited] = null, ["MARQUEE_CHILD_RUN_TEST_SET"] = "given" };

            var run = await ChildRun.RunAsync("/bin/sh", ["-c", $"echo \"[${Inherited}] [$MARQUEE_CHILD_RUN_TEST_SET] $(pwd)\""], folder.Path, environment, TimeSpan.FromSeconds(30), CancellationToken.None);

            Assert.Equal($"[] [given] {folder.Path}", Assert.Single(run.Output));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Inherited, null);
        }
    }

    [Fact]
    public async Task AChildPastItsTimeLimit_IsStopped_AndSaysSo()
    {
        using var folder = new TempFolder();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => ChildRun.RunAsync("/bin/sh", ["-c", "sleep 30"], folder.Path, NoEnvironment, TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Contains("did not finish", error.Message, StringComparison.Ordinal);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20));
    }
}
