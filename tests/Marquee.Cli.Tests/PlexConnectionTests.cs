using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Plex;

namespace Marquee.Cli.Tests;

/// <summary><c>connection add plex</c> by login or token discovery, <c>connection show</c> with accounts, <c>set-pin</c>, against the Plex simulator.</summary>
public sealed class PlexConnectionTests : IAsyncLifetime
{
    private PlexSimulator _sim = null!;
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 10, Shows = 2, HomeUsers = 2, Friends = 1, ServerName = "den server" }, CancellationToken.None);
        _cli = new CliRunner(new Dictionary<string, string>
        {
            ["MARQUEE_PLEXTV_URL"] = _sim.PlexTvUri.ToString(),
            ["MARQUEE_DISCOVER_URL"] = _sim.DiscoverUri.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task AddWithTokenOnly_DiscoversTheServer_ThenShowListsAccountsAndSetPinUnlocksTheProtectedOne()
    {
        var added = await _cli.OkAsync("connection", "add", "plex", "--token", _sim.Owner.AccountToken);
        var before = await _cli.OkAsync("connection", "show", "den-server");
        var partner = _sim.Accounts.First(a => a.Pin is not null);
        var pinned = await _cli.OkAsync("connection", "set-pin", "den-server", "--account", partner.Name, "--pin", partner.Pin!);
        var after = JsonDocument.Parse(await _cli.OkAsync("connection", "show", "den-server", "--json")).RootElement;

        Assert.Contains("Added connection 'den-server'", added, StringComparison.Ordinal);
        Assert.Contains(_sim.BaseUri.GetLeftPart(UriPartial.Authority), added, StringComparison.Ordinal);
        Assert.Contains("set-pin", before, StringComparison.Ordinal);
        foreach (var account in _sim.Accounts)
        {
            Assert.Contains(account.Name, before, StringComparison.Ordinal);
        }

        Assert.Contains("Stored the PIN", pinned, StringComparison.Ordinal);
        var accounts = after.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(_sim.Accounts.Count, accounts.Count);
        Assert.All(accounts, a => Assert.True(a.GetProperty("canAct").GetBoolean(), a.ToString()));
        Assert.DoesNotContain(_sim.Owner.AccountToken, added + before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWithPinLogin_WaitsForApprovalAndAddsTheServer()
    {
        var add = _cli.RunAsync("connection", "add", "plex", "--name", "den", "--wait", "30");
        SimPinApproval? approved = null;
        for (var i = 0; i < 200 && approved is null; i++)
        {
            await Task.Delay(50);
            approved = await ApproveLatestPinAsync();
        }

        var result = await add;

        Assert.NotNull(approved);
        Assert.Equal(0, result.Code);
        Assert.Contains("enter the code: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("app.plex.tv/auth#?clientID=", result.Error, StringComparison.Ordinal);
        Assert.Contains("Added connection 'den'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWithPinLogin_NotApproved_TimesOutClearly()
    {
        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "den", "--wait", "2");

        Assert.Equal(1, result.Code);
        Assert.Contains("was not approved within 2 s", result.Error, StringComparison.Ordinal);
    }

    private Task<SimPinApproval?> ApproveLatestPinAsync()
    {
        // Each simulator numbers its PINs from a fixed start (the user's browser approves it in real life).
        for (var id = 564_964_751; id < 564_964_760; id++)
        {
            if (_sim.Control.ApprovePin(id, "owner"))
            {
                return Task.FromResult<SimPinApproval?>(new SimPinApproval(id));
            }
        }

        return Task.FromResult<SimPinApproval?>(null);
    }

    private sealed record SimPinApproval(int Id);
}
