using Marquee.Core.Care;
using Marquee.Core.Connections;
using Marquee.Core.Notifications;
using Marquee.Core.Profiles;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Marquee.Web.Ui.Html;

namespace Marquee.Web.Ui;

/// <summary>Profiles (a person across connections) with their linked accounts and history; read-only views of notifications and library care.</summary>
internal static class ProfilePages
{
    private static readonly string[] ProfileFields = ["name", "displayName"];
    private static readonly string[] LinkFields = ["profile", "connection", "account"];

    public static void MapProfilePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/profiles", async (HttpContext http, ProfileService profiles, ConnectionService connections, string? notice, CancellationToken ct) =>
            await ListAsync(http, profiles, connections, notice, [], FormErrors.None, FormErrors.None, StatusCodes.Status200OK, ct));

        app.MapPost("/profiles", async (HttpContext http, ProfileService profiles, ConnectionService connections, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var values = ProfileFields.ToDictionary(f => f, f => (string?)form[f].ToString(), StringComparer.Ordinal);
            try
            {
                var created = await profiles.CreateAsync(values["name"], string.IsNullOrWhiteSpace(values["displayName"]) ? null : values["displayName"], ct);
                return Results.Redirect("/profiles?notice=" + Uri.EscapeDataString($"Added the profile '{created.Name}'."));
            }
            catch (Exception ex) when (Problems(ex) is { } problems)
            {
                return await ListAsync(http, profiles, connections, null, values, new FormErrors(problems, ProfileFields), FormErrors.None, StatusCodes.Status400BadRequest, ct);
            }
        });

        app.MapPost("/profiles/link", async (HttpContext http, ProfileService profiles, ConnectionService connections, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var values = LinkFields.ToDictionary(f => "link-" + f, f => (string?)form[f].ToString(), StringComparer.Ordinal);
            try
            {
                var linked = await profiles.LinkAsync(form["profile"].ToString(), form["connection"].ToString(), form["account"].ToString(), ct);
                return Results.Redirect("/profiles?notice=" + Uri.EscapeDataString($"Linked {linked.AccountName} on {linked.ConnectionName}."));
            }
            catch (Exception ex) when (Problems(ex) is { } problems)
            {
                return await ListAsync(http, profiles, connections, null, values, FormErrors.None, new FormErrors(problems, LinkFields), StatusCodes.Status400BadRequest, ct);
            }
        });

        app.MapGet("/profiles/{profile}/history", async (HttpContext http, string profile, ProfileService profiles, ILedgerStore ledger, IIdentityStore identity, CancellationToken ct) =>
        {
            Profile found;
            try
            {
                found = await profiles.FindAsync(profile, ct);
            }
            catch (NotFoundException ex)
            {
                return RunPages.NotFound(http, ex.Message);
            }

            var events = await ledger.HistoryAsync(found.Id, null, 200, ct);
            var items = await identity.GetItemsAsync(events.Select(e => e.ItemId).Distinct().ToList(), ct);
            return Page.Render(http, $"History of {found.DisplayName ?? found.Name}", H($"""
                <p>What Marquee saw this person do on any server, newest first (the last 200 events).</p>
                {(events.Count == 0 ? H($"<p>Nothing recorded yet.</p>") : H($"""
                    <table><thead><tr><th scope="col">When</th><th scope="col">Item</th><th scope="col">What</th><th scope="col">Value</th><th scope="col">Seen by</th></tr></thead>
                    <tbody>{Join(events, e => H($"<tr><td>{Page.Time(e.OccurredAt)}</td><td>{(items.TryGetValue(e.ItemId, out var item) ? item.Title : null) ?? $"item {e.ItemId}"}</td><td>{e.Feature}</td><td>{e.Value}</td><td>{e.Origin}{When(e.RunId is not null, H($" (<a href=\"/runs/{e.RunId}\">run {e.RunId}</a>)"))}</td></tr>"))}</tbody></table>
                    """))}
                """));
        });

        app.MapGet("/notifications", async (HttpContext http, NotificationService notifications, CancellationToken ct) =>
        {
            var channels = await notifications.ListAsync(ct);
            return Page.Render(http, "Notifications", H($"""
                <p>Channels are added with <code>marquee notify add</code>, the API or marquee.yaml. Addresses are shown without their secrets.</p>
                {(channels.Count == 0 ? H($"<p>No channel yet.</p>") : H($"""
                    <table><thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Address</th><th scope="col">Triggers</th><th scope="col">Status</th></tr></thead>
                    <tbody>{Join(channels, c => H($"<tr><td>{c.Name}</td><td>{c.Kind}</td><td>{c.MaskedUrl}</td><td>{string.Join(", ", c.Triggers)}</td><td>{(c.Enabled ? c.Status : "disabled")}</td></tr>"))}</tbody></table>
                    """))}
                """));
        });

        app.MapGet("/care", async (HttpContext http, SessionRuleService rules, TrashService trash, ICareStore store, CancellationToken ct) =>
        {
            var ruleList = await rules.ListAsync(ct);
            var trashList = await trash.ListAsync(ct);
            var actions = await store.ListActionsAsync(null, 50, ct);
            return Page.Render(http, "Library care", H($"""
                <h2>Session rules</h2>
                {(ruleList.Count == 0 ? H($"<p>No session rule.</p>") : H($"<ul>{Join(ruleList, r => H($"<li>{r.Name}: {r.Action}{(r.DryRun ? " (dry run)" : string.Empty)}{(r.Enabled ? string.Empty : " (disabled)")}</li>"))}</ul>"))}
                <h2>Trash emptying</h2>
                {(trashList.Count == 0 ? H($"<p>No library is emptied on a schedule.</p>") : H($"<ul>{Join(trashList, t => H($"<li>{t.Library} on {t.Connection ?? "the Plex connection"}: {t.Schedule}</li>"))}</ul>"))}
                <h2>Recent actions</h2>
                {(actions.Count == 0 ? H($"<p>Nothing done yet.</p>") : H($"""
                    <table><thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Connection</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Rule</th><th scope="col">Outcome</th></tr></thead>
                    <tbody>{Join(actions, a => H($"<tr><td>{Page.Time(a.At)}</td><td>{a.Kind}</td><td>{a.Connection}</td><td>{a.User}</td><td>{a.Title ?? a.Subject}</td><td>{a.Rule}: {a.Action}</td><td>{a.Outcome}</td></tr>"))}</tbody></table>
                    """))}
                """));
        });
    }

    private static IReadOnlyList<FieldProblem>? Problems(Exception ex) => ex switch
    {
        ValidationException v => v.Problems,
        ConflictException c => [new FieldProblem(c.Field, c.Message)],
        NotFoundException n => [new FieldProblem(n.What, n.Message)],
        _ => null,
    };

    private static async Task<IResult> ListAsync(HttpContext http, ProfileService profiles, ConnectionService connections, string? notice, Dictionary<string, string?> values, FormErrors profileErrors, FormErrors linkErrors, int status, CancellationToken ct)
    {
        var all = await profiles.ListAsync(ct);
        var links = await profiles.ListLinksAsync(null, ct);
        var connectionNames = (await connections.ListAsync(ct)).Select(c => (c.Name, c.Name)).ToList();
        return Page.Render(http, "Profiles", H($"""
            {Page.Notice(notice)}
            <p>A profile is one person: their accounts on each server are linked to it, so what they watch on one reaches the others.</p>
            {(all.Count == 0 ? H($"<p>No profile yet.</p>") : H($"""
                <table><thead><tr><th scope="col">Profile</th><th scope="col">Accounts</th><th scope="col">History</th></tr></thead>
                <tbody>{Join(all, p => H($"<tr><td>{p.DisplayName ?? p.Name}</td><td>{string.Join(", ", links.Where(l => l.ProfileId == p.Id).Select(l => $"{l.AccountName} on {l.ConnectionName}"))}</td><td><a href=\"/profiles/{p.Name}/history\">History</a></td></tr>"))}</tbody></table>
                """))}
            <h2>Add a profile</h2>
            {Page.Problems(profileErrors)}
            {Page.PostForm(http, "/profiles", H($"""
                {Page.Input("name", "Name", values.GetValueOrDefault("name"), profileErrors, required: true)}
                {Page.Input("displayName", "Display name", values.GetValueOrDefault("displayName"), profileErrors)}
                """), "Add the profile")}
            <h2>Link an account</h2>
            {Page.Problems(linkErrors)}
            {Page.PostForm(http, "/profiles/link", H($"""
                {Page.Select("profile", "Profile", values.GetValueOrDefault("link-profile"), all.Select(p => (p.Name, p.DisplayName ?? p.Name)), linkErrors)}
                {Page.Select("connection", "Connection", values.GetValueOrDefault("link-connection"), connectionNames, linkErrors)}
                {Page.Input("account", "Account (name or id on that server)", values.GetValueOrDefault("link-account"), linkErrors, required: true)}
                """), "Link")}
            """), status);
    }
}
