using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Ui;

/// <summary>The one stylesheet: system fonts, light and dark by the reader's setting, a single column on small screens.</summary>
internal static class SiteStyle
{
    private const string Css = """
        :root { color-scheme: light dark; --bg: #fbfbfa; --fg: #1d1d1f; --muted: #5b5b63; --line: #d7d7dc; --accent: #8a4b00; --panel: #ffffff; --bad: #b00020; --ok: #1b6e2c; }
        @media (prefers-color-scheme: dark) { :root { --bg: #121214; --fg: #ececf0; --muted: #a8a8b3; --line: #34343a; --accent: #ffb454; --panel: #1b1b1f; --bad: #ff8a80; --ok: #7ddc8c; } }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: var(--panel); padding: .5rem; }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--panel); }
        header nav { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; flex: 1; }
        header nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; flex: 1; }
        header nav a[aria-current] { font-weight: 700; text-decoration: none; }
        .brand { font-weight: 800; font-size: 1.2rem; text-decoration: none; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
        table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; display: block; overflow-x: auto; }
        th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; }
        .form { display: grid; gap: .75rem; max-width: 32rem; margin: 1rem 0; padding: 1rem; border: 1px solid var(--line); border-radius: 8px; background: var(--panel); }
        .field { display: grid; gap: .2rem; } .field label { font-weight: 600; }
        input, select { font: inherit; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); width: 100%; }
        input[type=checkbox] { width: auto; }
        .invalid input, .invalid select { border-color: var(--bad); }
        .error { color: var(--bad); margin: 0; font-weight: 600; } .help { color: var(--muted); margin: 0; font-size: .9rem; }
        button { font: inherit; padding: .45rem .9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: var(--bg); cursor: pointer; justify-self: start; }
        button.secondary { background: transparent; color: var(--accent); } button.danger { background: var(--bad); border-color: var(--bad); }
        button.link { background: none; border: none; color: var(--accent); padding: 0; text-decoration: underline; }
        .inline { display: inline; margin: 0 .25rem 0 0; }
        .alert { border: 1px solid var(--bad); color: var(--bad); padding: .5rem .75rem; border-radius: 6px; }
        .notice { border: 1px solid var(--ok); color: var(--ok); padding: .5rem .75rem; border-radius: 6px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; background: var(--panel); }
        .status-failed, .status-held { color: var(--bad); font-weight: 600; } .status-done, .status-written, .status-ok { color: var(--ok); }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        .pager { display: flex; gap: 1rem; } details { margin: 1rem 0; } code, pre { font-family: ui-monospace, monospace; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        """;

    /// <summary>The one script: a run's page follows its progress over server-sent events, then opens the stored run.</summary>
    private const string LiveScript = """
        (() => {
          const list = document.getElementById('progress');
          const status = document.getElementById('run-status');
          if (!list || !list.dataset.stream || !window.EventSource) { return; }
          const source = new EventSource(list.dataset.stream);
          source.onmessage = (e) => {
            const item = document.createElement('li');
            item.textContent = e.data;
            list.appendChild(item);
          };
          source.addEventListener('done', (e) => {
            source.close();
            const end = JSON.parse(e.data);
            if (end.url) { window.location.assign(end.url); } else { status.textContent = 'The run ended: ' + (end.message || ''); }
          });
          source.onerror = () => { source.close(); window.setTimeout(() => window.location.reload(), 2000); };
        })();
        """;

    public static void MapSiteStyle(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/site.css", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Css, "text/css; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapGet("/ui/live.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(LiveScript, "text/javascript; charset=utf-8");
        }).ExcludeFromDescription();
    }
}
