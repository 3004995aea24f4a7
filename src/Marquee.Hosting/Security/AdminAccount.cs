using System.Text.Json;
using Marquee.Core.Providers;
using Microsoft.AspNetCore.Identity;

namespace Marquee.Hosting.Security;

/// <summary>
/// The one administrator of the web UI: a user name and a password hash (the framework's PBKDF2 <see cref="PasswordHasher{TUser}"/>)
/// in the data folder's owner-only <c>admin.json</c>, beside the API key, so that <c>marquee admin reset</c> works without the
/// server. There is no default password: until the first-run page creates the admin, the UI offers only that page.
/// </summary>
public sealed class AdminAccount
{
    public const string FileName = "admin.json";

    public const int MinimumPasswordLength = 10;

    private static readonly PasswordHasher<string> Hasher = new();

    private readonly Lock _lock = new();

    public AdminAccount(MarqueeOptions options)
        : this(options.DataFolder)
    {
    }

    public AdminAccount(string dataFolder) => FilePath = Path.Combine(Path.GetFullPath(dataFolder), FileName);

    public string FilePath { get; }

    /// <summary>Gets a value indicating whether an administrator was created; a damaged file counts, so nobody can take its place but <c>marquee admin reset</c>.</summary>
    public bool Exists => File.Exists(FilePath);

    /// <summary>Gets the administrator's user name, or null before the first run.</summary>
    public string? UserName => Read()?.User;

    /// <summary>Gets a short fingerprint of the stored hash: a login made before a reset carries the old one and ends.</summary>
    public string? Stamp => Read() is { } stored
        ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stored.Hash)))[..16]
        : null;

    /// <summary>Checks a new user name and password; each problem names its field.</summary>
    public static IReadOnlyList<FieldProblem> Check(string? user, string? password, string? confirm)
    {
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(user))
        {
            problems.Add(new FieldProblem("user", "Choose a user name."));
        }
        else if (user.Trim().Length > 64 || user.Any(char.IsControl))
        {
            problems.Add(new FieldProblem("user", "The user name must be at most 64 characters, without control characters."));
        }

        if (string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength)
        {
            problems.Add(new FieldProblem("password", $"The password must be at least {MinimumPasswordLength} characters."));
        }
        else if (password.Length > 256)
        {
            problems.Add(new FieldProblem("password", "The password must be at most 256 characters."));
        }
        else if (confirm is not null && !string.Equals(password, confirm, StringComparison.Ordinal))
        {
            problems.Add(new FieldProblem("confirm", "The two passwords differ."));
        }

        return problems;
    }

    /// <summary>Creates the administrator unless one exists (first run); returns false when one already does.</summary>
    public bool TryCreate(string user, string password)
    {
        lock (_lock)
        {
            if (File.Exists(FilePath))
            {
                return false;
            }

            Write(user.Trim(), password);
            return true;
        }
    }

    /// <summary>Replaces the administrator (<c>marquee admin reset</c> with a new password).</summary>
    public void Set(string user, string password)
    {
        lock (_lock)
        {
            Write(user.Trim(), password);
        }
    }

    /// <summary>Removes the administrator, so the next visit shows the first-run page again; returns false when there was none.</summary>
    public bool Remove()
    {
        lock (_lock)
        {
            if (!File.Exists(FilePath))
            {
                return false;
            }

            File.Delete(FilePath);
            return true;
        }
    }

    /// <summary>Checks a login; the user name is compared without regard to case, the password by its hash.</summary>
    public bool Verify(string? user, string? password)
    {
        var stored = Read();
        if (stored is null || string.IsNullOrEmpty(password) || password.Length > 256)
        {
            return false;
        }

        var result = Hasher.VerifyHashedPassword(stored.User, stored.Hash, password);
        return result != PasswordVerificationResult.Failed && string.Equals(stored.User, user?.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    private void Write(string user, string password)
    {
        var stored = new Stored(user, Hasher.HashPassword(user, password));
        SecretFile.Write(FilePath, JsonSerializer.Serialize(stored, AdminJson.Default.Stored));
    }

    private Stored? Read()
    {
        try
        {
            return File.Exists(FilePath) ? JsonSerializer.Deserialize(File.ReadAllText(FilePath), AdminJson.Default.Stored) is { User.Length: > 0, Hash.Length: > 0 } stored ? stored : null : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal sealed record Stored(string User, string Hash);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(AdminAccount.Stored))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class AdminJson : System.Text.Json.Serialization.JsonSerializerContext;
