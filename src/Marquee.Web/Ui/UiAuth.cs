using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Marquee.Hosting;
using Marquee.Hosting.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Marquee.Web.Ui.Html;

namespace Marquee.Web.Ui;

/// <summary>
/// The web UI's login: a first-run page that creates the admin, a cookie session, anti-forgery tokens checked on every form
/// post, a lockout after repeated wrong passwords and, when Marquee:Ui:TrustLocalAddresses is on, no login from the local network.
/// </summary>
public static partial class UiAuth
{
    public const string CookieName = "marquee.session";
    public const string StampClaim = "marquee:stamp";

    private static readonly string[] OpenPaths = ["/login", "/setup", "/ui/site.css"];

    public static IServiceCollection AddUiAuth(this IServiceCollection services, MarqueeOptions options)
    {
        if (options.Ui.LockoutAttempts < 1 || options.Ui.LockoutAttempts > 1000)
        {
            throw new InvalidOperationException($"Marquee:Ui:LockoutAttempts must be between 1 and 1000 (it is {options.Ui.LockoutAttempts}).");
        }

        if (!(options.Ui.LockoutMinutes > 0 && options.Ui.LockoutMinutes <= 24 * 60))
        {
            throw new InvalidOperationException($"Marquee:Ui:LockoutMinutes must be more than 0 and at most 1440 (it is {options.Ui.LockoutMinutes}).");
        }

        if (!(options.Ui.SessionHours > 0 && options.Ui.SessionHours <= 24 * 366))
        {
            throw new InvalidOperationException($"Marquee:Ui:SessionHours must be more than 0 and at most 8784 (it is {options.Ui.SessionHours}).");
        }

        services.AddSingleton<AdminAccount>();
        services.AddSingleton<LoginThrottle>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/login";
            cookie.LogoutPath = "/logout";
            cookie.AccessDeniedPath = "/login";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(options.Ui.SessionHours);
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = context =>
            {
                // A reset (or a new admin) ends every session made with the old password.
                var stamp = context.Principal?.FindFirst(StampClaim)?.Value;
                if (stamp is null || !string.Equals(stamp, context.HttpContext.RequestServices.GetRequiredService<AdminAccount>().Stamp, StringComparison.Ordinal))
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });
        services.AddAuthorization();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "marquee.antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.FormFieldName = "__token";
            antiforgery.HeaderName = null;
        });
        return services;
    }

    /// <summary>Paths served by the API guard's rules instead of the login.</summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/healthz", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);

    /// <summary>Signs in trusted local callers, sends everyone else without a session to the login (or the first-run page), and checks every form's token.</summary>
    public static WebApplication UseUiAuth(this WebApplication app)
    {
        app.UseAuthentication();
        var options = app.Services.GetRequiredService<MarqueeOptions>();
        var admin = app.Services.GetRequiredService<AdminAccount>();
        var antiforgery = app.Services.GetRequiredService<IAntiforgery>();
        app.Use(async (context, next) =>
        {
            if (IsApiPath(context.Request.Path))
            {
                await next(context);
                return;
            }

            if (context.User.Identity?.IsAuthenticated != true && options.Ui.TrustLocalAddresses && !options.Server.ReverseProxy && IsLocal(context.Connection.RemoteIpAddress))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, admin.UserName ?? "local")], "local"));
            }

            var path = context.Request.Path;
            var open = Array.Exists(OpenPaths, p => path.Equals(p, StringComparison.OrdinalIgnoreCase));
            if (!open && context.User.Identity?.IsAuthenticated != true)
            {
                context.Response.Redirect(admin.Exists ? "/login?returnUrl=" + Uri.EscapeDataString(path + context.Request.QueryString) : "/setup");
                return;
            }

            if (HttpMethods.IsPost(context.Request.Method))
            {
                try
                {
                    await antiforgery.ValidateRequestAsync(context);
                }
                catch (AntiforgeryValidationException)
                {
                    await Page.Render(context, "Form refused", H($"""
                        <p class="alert" role="alert">This form has expired or did not come from this Marquee, so nothing was changed.
                        Go back, reload the page and send it again.</p>
                        """), StatusCodes.Status400BadRequest).ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        });
        app.UseAuthorization();
        return app;
    }

    public static void MapUiAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/setup", (HttpContext http, AdminAccount admin) =>
            admin.Exists ? Results.Redirect("/login") : SetupPage(http, null, FormErrors.None));

        app.MapPost("/setup", async (HttpContext http, AdminAccount admin, ILoggerFactory logs) =>
        {
            if (admin.Exists)
            {
                return Results.Redirect("/login");
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            string user = form["user"].ToString(), password = form["password"].ToString();
            var problems = AdminAccount.Check(user, password, form["confirm"].ToString());
            if (problems.Count > 0)
            {
                return SetupPage(http, user, new FormErrors(problems, ["user", "password", "confirm"]), StatusCodes.Status400BadRequest);
            }

            if (!admin.TryCreate(user, password))
            {
                return Results.Redirect("/login");
            }

            Log.AdminCreated(logs.CreateLogger("Marquee.Web.Ui"), user.Trim());
            await SignInAsync(http, admin);
            return Results.Redirect("/");
        });

        app.MapGet("/login", (HttpContext http, AdminAccount admin, LoginThrottle throttle, string? returnUrl) =>
            !admin.Exists ? Results.Redirect("/setup") : LoginPage(http, null, returnUrl, FormErrors.None, throttle.LockedUntil()));

        app.MapPost("/login", async (HttpContext http, AdminAccount admin, LoginThrottle throttle, ILoggerFactory logs) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            string user = form["user"].ToString(), returnUrl = form["returnUrl"].ToString();
            var log = logs.CreateLogger("Marquee.Web.Ui");
            if (!admin.Exists)
            {
                return Results.Redirect("/setup");
            }

            if (throttle.LockedUntil() is { } locked)
            {
                return LoginPage(http, user, returnUrl, FormErrors.None, locked, StatusCodes.Status429TooManyRequests);
            }

            if (!admin.Verify(user, form["password"].ToString()))
            {
                var remote = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (throttle.Failed())
                {
                    Log.LockedOut(log, remote, throttle.LockedUntil());
                    return LoginPage(http, user, returnUrl, FormErrors.None, throttle.LockedUntil(), StatusCodes.Status429TooManyRequests);
                }

                Log.LoginFailed(log, remote);
                return LoginPage(http, user, returnUrl, new FormErrors([new("password", "Wrong user name or password.")], ["password"]), null, StatusCodes.Status401Unauthorized);
            }

            throttle.Succeeded();
            await SignInAsync(http, admin);
            return Results.Redirect(IsLocalUrl(returnUrl) ? returnUrl : "/");
        });

        app.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
    }

    /// <summary>Loopback, private (RFC 1918, unique-local) and link-local addresses.</summary>
    public static bool IsLocal(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (address.GetAddressBytes()[0] & 0xFE) == 0xFC;
    }

    private static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains('\r', StringComparison.Ordinal) && !url.Contains('\n', StringComparison.Ordinal);

    private static async Task SignInAsync(HttpContext http, AdminAccount admin)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, admin.UserName ?? "admin"), new Claim(StampClaim, admin.Stamp ?? string.Empty)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    private static IResult SetupPage(HttpContext http, string? user, FormErrors errors, int status = StatusCodes.Status200OK) =>
        Page.Render(http, "Welcome to Marquee", H($"""
            <p>Create the administrator who signs in to this page. There is no default password; if you forget it, run <code>marquee admin reset</code> on the server.</p>
            {Page.Problems(errors)}
            {Page.PostForm(http, "/setup", H($"""
                {Page.Input("user", "User name", user, errors, required: true)}
                {Page.Input("password", "Password", null, errors, "password", $"At least {AdminAccount.MinimumPasswordLength} characters.", required: true)}
                {Page.Input("confirm", "Password again", null, errors, "password", required: true)}
                """), "Create the administrator")}
            """), status);

    private static IResult LoginPage(HttpContext http, string? user, string? returnUrl, FormErrors errors, DateTimeOffset? lockedUntil, int status = StatusCodes.Status200OK) =>
        Page.Render(http, "Log in", H($"""
            {When(lockedUntil is not null, H($"<p class=\"alert\" role=\"alert\">Too many wrong passwords: the login is locked until {Page.Time(lockedUntil)}. <code>marquee admin reset</code> on the server lifts the lock.</p>"))}
            {Page.PostForm(http, "/login", H($"""
                <input type="hidden" name="returnUrl" value="{(IsLocalUrl(returnUrl) ? returnUrl : "/")}">
                {Page.Input("user", "User name", user, errors, required: true)}
                {Page.Input("password", "Password", null, errors, "password", required: true)}
                """), "Log in")}
            """), status);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "The web UI administrator '{User}' was created")]
        public static partial void AdminCreated(ILogger logger, string user);

        [LoggerMessage(2, LogLevel.Information, "Wrong password for the web UI from {Remote}")]
        public static partial void LoginFailed(ILogger logger, string remote);

        [LoggerMessage(3, LogLevel.Warning, "The web UI login is locked until {Until} after repeated wrong passwords (the last from {Remote})")]
        public static partial void LockedOut(ILogger logger, string remote, DateTimeOffset? until);
    }
}
