using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Trakt;
using Microsoft.Data.Sqlite;

namespace Marquee.Cli.Tests;

/// <summary><c>connection add trakt</c>: the device login against the Trakt simulator over HTTP, tokens stored encrypted, renewed and saved, refusals that say what to do.</summary>
public sealed class TraktConnectionTests : IAsyncLifetime
{
    private TraktSimulator _sim = null!;
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _sim = await TraktSimulator.StartAsync(new TraktSimulatorOptions { Movies = 5, Shows = 1, PollIntervalSeconds = 1, PostLimit = 0, GetLimit = 0 }, CancellationToken.None);
        _cli = new CliRunner();
    }

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Add_PrintsTheCode_WaitsForApproval_AndStoresTheTokensEncrypted()
    {
        var add = AddAsync("--wait", "60");
        var code = await DecideAsync(c => _sim.Control.Approve(c, "anna"));

        var result = await add;

        Assert.True(result.Code == 0, result.Error);
        Assert.Contains("To sign in to Trakt, open http", result.Error, StringComparison.Ordinal);
        Assert.Contains($"and enter the code: {code}", result.Error, StringComparison.Ordinal);
        Assert.Contains("Signed in.", result.Error, StringComparison.Ordinal);
        Assert.Contains("Added connection 'tv' (trakt, id 1) for Trakt user 'anna'", result.Output, StringComparison.Ordinal);
        var stored = StoredSettings();
        foreach (var secret in new[] { "accessToken", "refreshToken", "clientSecret" })
        {
            Assert.StartsWith("enc:", stored.GetProperty(secret).GetString(), StringComparison.Ordinal);
        }

        var shown = await _cli.OkAsync("connection", "show", "tv", "--json");
        Assert.Contains("\"accessToken\": \"********\"", shown.Replace("\":\"", "\": \"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(stored.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6));
    }

    [Fact]
    public async Task Add_RefusedOnTrakt_SaysToChooseYes_AndSavesNothing()
    {
        var add = AddAsync("--wait", "60");
        await DecideAsync(c => _sim.Control.Deny(c));

        var result = await add;

        Assert.Equal(1, result.Code);
        Assert.Contains("refused on trakt.tv: run it again and choose Yes", result.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await _cli.OkAsync("connection", "list", "--json")).Trim());
    }

    [Fact]
    public async Task Add_CodeExpiredOnTrakt_SaysToRunAgainWithTheNewCode()
    {
        var add = AddAsync("--wait", "60");
        await DecideAsync(_ => _sim.Control.AdvanceClock(TimeSpan.FromMinutes(11)));

        var result = await add;

        Assert.Equal(1, result.Code);
        Assert.Contains("expired before it was approved: run the login again", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_SlowDown_KeepsPolling_AndSignsIn()
    {
        _sim.Control.SetStatusFault("POST /oauth/device/token", new TraktStatusFault(429, Times: 1));
        var add = AddAsync("--wait", "60");
        await DecideAsync(c => _sim.Control.Approve(c, "ben"));

        var result = await add;

        Assert.True(result.Code == 0, result.Error);
        Assert.Contains("for Trakt user 'ben'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_NotApproved_TimesOutClearly()
    {
        var result = await AddAsync("--wait", "2");

        Assert.Equal(1, result.Code);
        Assert.Contains("was not approved within 2 s", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewedTokens_AreSavedBeforeUse_AndARefusedRenewalSaysToSignInAgain_WithoutPrintingATokenAnywhere()
    {
        _sim.State.TokenLifetimeSeconds = 60; // inside the 5-minute margin: every use renews first
        var add = AddAsync("--wait", "60");
        await DecideAsync(c => _sim.Control.Approve(c, "anna"));
        Assert.Equal(0, (await add).Code);
        var first = StoredSettings().GetProperty("refreshToken").GetString();

        // Each test renews with the refresh token stored by the one before: Trakt's refresh tokens work once.
        Assert.Contains("works", await _cli.OkAsync("connection", "test", "tv"), StringComparison.Ordinal);
        Assert.Contains("works", await _cli.OkAsync("connection", "test", "tv"), StringComparison.Ordinal);
        Assert.NotEqual(first, StoredSettings().GetProperty("refreshToken").GetString());

        _sim.Control.State.RevokeAll();
        var refused = await _cli.RunAsync("connection", "test", "tv");

        Assert.Equal(1, refused.Code);
        Assert.Contains("accessToken: Trakt refused to renew Marquee's login", refused.Error, StringComparison.Ordinal);
        Assert.Contains("run 'marquee connection add trakt' again to sign in", refused.Error, StringComparison.Ordinal);
        var export = await _cli.RunAsync("connection", "show", "tv", "--json");
        Assert.DoesNotContain("enc:", refused.Error + refused.Output + export.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yaml_SeedsTheTokens_AndARestartKeepsTheRenewedOnes()
    {
        _sim.State.TokenLifetimeSeconds = 60;
        var issued = _sim.Control.Issue("anna");
        var expires = DateTimeOffset.FromUnixTimeSeconds(issued.CreatedAt + issued.ExpiresIn).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        _cli.Environment["TRAKT_ACCESS"] = issued.AccessToken;
        _cli.Environment["TRAKT_REFRESH"] = issued.RefreshToken;
        Directory.CreateDirectory(_cli.DataFolder);
        await File.WriteAllTextAsync(Path.Combine(_cli.DataFolder, "marquee.yaml"), $$"""
            connections:
              - name: tv
                kind: trakt
                settings:
                  url: {{_sim.BaseUri}}
                  clientId: {{_sim.ClientId}}
                  clientSecret: SIM_CLIENT_SECRET
                  accessToken: ${TRAKT_ACCESS}
                  refreshToken: ${TRAKT_REFRESH}
                  expiresAt: "{{expires}}"
            """);

        // Every start applies the file; the renewed refresh token (the declared one is used up) must stay.
        Assert.Contains("works", await _cli.OkAsync("connection", "test", "tv"), StringComparison.Ordinal);
        Assert.Contains("works", await _cli.OkAsync("connection", "test", "tv"), StringComparison.Ordinal);
        Assert.Contains("works", await _cli.OkAsync("connection", "test", "tv"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--wait", "0", "'--wait' must be a number of seconds above 0")]
    [InlineData("--client-id", " ", "clientId: 'clientId' is required")]
    [InlineData("--url", "ftp://x", "url: 'url' must be an absolute http:// or https:// URL")]
    [InlineData("--name", "a b", "name")]
    public async Task Add_BadInput_IsAUsageError(string flag, string value, string message)
    {
        string[] args = ["connection", "add", "trakt", "--client-secret", "s", "--url", _sim.BaseUri.ToString(), "--client-id", "SIM_CLIENT_ID"];
        var index = Array.IndexOf(args, flag);
        args = index >= 0 ? [.. args[..(index + 1)], value, .. args[(index + 2)..]] : [.. args, flag, value];

        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.Code);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecret_IsForTraktOnly()
    {
        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "p", "--url", "http://127.0.0.1:9", "--client-secret", "s");

        Assert.Equal(2, result.Code);
        Assert.Contains("'--client-id' and '--client-secret' are for trakt connections only", result.Error, StringComparison.Ordinal);
    }

    private Task<CliResult> AddAsync(params string[] extra) =>
        _cli.RunAsync(["connection", "add", "trakt", "--name", "tv", "--url", _sim.BaseUri.ToString(), "--client-id", _sim.ClientId, "--client-secret", "SIM_CLIENT_SECRET", .. extra]);

    /// <summary>Waits for the login's code to appear on the simulator (the user's browser in real life), then acts on it.</summary>
    private async Task<string> DecideAsync(Action<string> decide)
    {
        for (var i = 0; i < 400; i++)
        {
            if (_sim.State.DeviceCodes.FirstOrDefault(d => d.State == DeviceCodeState.Pending) is { } pending)
            {
                decide(pending.UserCode);
                return pending.UserCode;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No device login was started.");
    }

    private JsonElement StoredSettings()
    {
        SqliteConnection.ClearAllPools();
        using var db = new SqliteConnection($"Data Source={Directory.GetFiles(_cli.DataFolder, "*.db").Single()};Mode=ReadOnly");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT settings FROM connections WHERE name = 'tv'";
        return JsonDocument.Parse((string)command.ExecuteScalar()!).RootElement.Clone();
    }
}
