using Marquee.Cli.Tests.Infrastructure;
using Marquee.Hosting.Security;

namespace Marquee.Cli.Tests;

/// <summary>Issue 20: <c>marquee admin reset</c> for a forgotten web UI password.</summary>
public sealed class AdminCommandTests
{
    [Fact]
    public async Task AdminReset_NewPasswordFromStdin_ReplacesTheHash_KeepsTheUser()
    {
        using var cli = new CliRunner();
        var admin = new AdminAccount(cli.DataFolder);
        Assert.True(admin.TryCreate("alice", "the old password"));

        var result = await cli.RunWithInputAsync("a new password here\n", "admin", "reset", "--data", cli.DataFolder, "--password", "-");

        Assert.True(result.Code == 0, result.Error);
        Assert.Contains("'alice'", result.Output, StringComparison.Ordinal);
        Assert.True(admin.Verify("alice", "a new password here"));
        Assert.False(admin.Verify("alice", "the old password"));
        Assert.DoesNotContain("a new password here", await File.ReadAllTextAsync(admin.FilePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminReset_WithoutPassword_RemovesTheAdmin_SoTheFirstRunPageComesBack()
    {
        using var cli = new CliRunner();
        var admin = new AdminAccount(cli.DataFolder);
        admin.TryCreate("alice", "the old password");

        var result = await cli.RunAsync("admin", "reset", "--data", cli.DataFolder);
        var again = await cli.RunAsync("admin", "reset", "--data", cli.DataFolder);

        Assert.Equal(0, result.Code);
        Assert.False(admin.Exists);
        Assert.Contains("no web UI administrator yet", again.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short\n", "at least 10 characters")]
    [InlineData("\n", "standard input is empty")]
    public async Task AdminReset_BadPassword_UsageErrorAndNothingChanged(string input, string message)
    {
        using var cli = new CliRunner();
        var admin = new AdminAccount(cli.DataFolder);
        admin.TryCreate("alice", "the old password");

        var result = await cli.RunWithInputAsync(input, "admin", "reset", "--data", cli.DataFolder, "--password", "-");

        Assert.Equal(2, result.Code);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.True(admin.Verify("alice", "the old password"));
    }

    [Fact]
    public async Task AdminReset_UserWithoutPassword_UsageError()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("admin", "reset", "--data", cli.DataFolder, "--user", "bob");

        Assert.Equal(2, result.Code);
        Assert.Contains("--user needs a new password", result.Error, StringComparison.Ordinal);
    }
}
