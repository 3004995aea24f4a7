// Drives a Plex server (the Marquee simulator) with @ctrl/plex through a user's everyday calls and
// prints one JSON object per line: {"step": NAME, "ok": true|false, ...result} or {"step", "ok": false, "error"}.
//
// Usage: node drive.mjs --pms URL --plextv URL --token OWNER_TOKEN [--trash-section ID]
//
// The client talks to https://plex.tv itself; those requests are sent to --plextv instead. Calls the
// client has no method for (timeline, sessions, terminate) go through its own PlexServer.query.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
for (const required of ['pms', 'plextv', 'token']) {
  if (!args[required]) {
    console.error(`missing --${required} (usage: node drive.mjs --pms URL --plextv URL --token TOKEN)`);
    process.exit(2);
  }
}

const plexTv = args.plextv.replace(/\/+$/, '');
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
  const rewritten = url.replace(/^https:\/\/(clients\.)?plex\.tv/, plexTv);
  return realFetch(rewritten === url ? input : rewritten, init);
};

// Imported after the fetch hook: ofetch keeps a reference to globalThis.fetch.
// MARQUEE_PLEX_CLIENT may name another node_modules folder that holds @ctrl/plex.
const { MyPlexAccount } = await import(
  process.env.MARQUEE_PLEX_CLIENT
    ? pathToFileURL(join(process.env.MARQUEE_PLEX_CLIENT, '@ctrl', 'plex', 'dist', 'src', 'index.js')).href
    : '@ctrl/plex'
);

let failures = 0;
async function step(name, run) {
  try {
    const result = await run();
    console.log(JSON.stringify({ step: name, ok: true, ...result }));
    return result;
  } catch (error) {
    failures++;
    console.log(JSON.stringify({ step: name, ok: false, error: String(error?.message ?? error) }));
    return undefined;
  }
}

const keys = items => items.map(i => String(i.ratingKey));
// The client's Video objects do not keep Label[] and Field[]; read them from the item's metadata.
async function labelState(item) {
  const data = await server.query(`/library/metadata/${item.ratingKey}`);
  const metadata = data.MediaContainer.Metadata[0];
  return {
    ratingKey: String(item.ratingKey),
    labels: (metadata.Label ?? []).map(l => l.tag).sort(),
    locked: (metadata.Field ?? []).filter(f => f.locked).map(f => f.name),
  };
}

let server;
let movies;
await step('signin', async () => {
  const account = await new MyPlexAccount(null, undefined, undefined, args.token).connect();
  const resources = await account.resources();
  const resource = resources.find(r => (r.provides ?? '').includes('server'));
  server = await resource.connect();
  return {
    username: account.username,
    resources: resources.map(r => r.name),
    machineIdentifier: server.machineIdentifier,
  };
});

let library;
await step('browse', async () => {
  // library() falls back to /library/sections/ when /library fails; ask the root itself to see that it answers.
  const root = await server.query('/library');
  library = await server.library();
  const sections = await library.sections();
  movies = sections.find(s => s.type === 'movie');
  const all = await movies.all();
  return {
    libraryRoot: (root.MediaContainer.Directory ?? []).map(d => d.key),
    sections: sections.map(s => ({ key: s.key, title: s.title, type: s.type })),
    movieSection: movies.key,
    movies: all.length,
  };
});

await step('page', async () => {
  const page = start => movies.search({ sort: 'titleSort', 'X-Plex-Container-Start': String(start), 'X-Plex-Container-Size': '5' });
  return { page1: keys(await page(0)), page2: keys(await page(5)) };
});

let target;
let other;
await step('search', async () => {
  const unwatched = await movies.search({ unwatched: true, libtype: 'movie' });
  const year = unwatched[0].year;
  const ofYear = await movies.search({ year: String(year), unwatched: true, libtype: 'movie' });
  target = ofYear[0];
  other = unwatched.find(m => String(m.ratingKey) !== String(target.ratingKey));
  return { unwatched: keys(unwatched), year, unwatchedOfYear: keys(ofYear) };
});

await step('markWatched', async () => {
  await target.markWatched();
  return { ratingKey: String(target.ratingKey), viewCount: target.viewCount ?? 0 };
});

await step('markUnwatched', async () => {
  await other.markWatched();
  await other.markUnwatched();
  return { ratingKey: String(other.ratingKey), viewCount: other.viewCount ?? 0 };
});

await step('rate', async () => {
  await target.rate(7.5);
  return { ratingKey: String(target.ratingKey), userRating: target.userRating };
});

await step('addLabels', async () => {
  await target.addLabel(['marquee-a', 'marquee-b']);
  return await labelState(target);
});

await step('removeLabelAndUnlock', async () => {
  // One edit as python-plexapi's batch edits send it: the existing labels plus a new one, a removal, and the lock.
  await target.edit({
    'label[0].tag.tag': 'marquee-a',
    'label[1].tag.tag': 'marquee-b',
    'label[2].tag.tag': 'marquee-c',
    'label[3].tag.tag': 'marquee-d',
    'label[].tag.tag-': 'marquee-a',
    'label.locked': 0,
  });
  return await labelState(target);
});

await step('removeLabel', async () => {
  await target.removeLabel(['marquee-b', 'marquee-d']);
  return await labelState(target);
});

const timeline = (item, state, time) =>
  server.query(
    `/:/timeline?ratingKey=${item.ratingKey}&key=${encodeURIComponent(`/library/metadata/${item.ratingKey}`)}` +
      `&identifier=com.plexapp.plugins.library&state=${state}&time=${time}&duration=${item.duration}`,
    'post',
  );

await step('timelinePlaying', async () => {
  await timeline(other, 'playing', Math.floor(other.duration * 0.2));
  const sessions = await server.query('/status/sessions');
  const playing = (sessions.MediaContainer.Metadata ?? []).filter(m => String(m.ratingKey) === String(other.ratingKey));
  return {
    ratingKey: String(other.ratingKey),
    sessions: playing.map(m => ({ sessionId: m.Session?.id, user: m.User?.id, state: m.Player?.state })),
  };
});

await step('terminate', async () => {
  const sessions = await server.query('/status/sessions');
  const session = (sessions.MediaContainer.Metadata ?? []).find(m => String(m.ratingKey) === String(other.ratingKey));
  await server.query(`/status/sessions/terminate?sessionId=${encodeURIComponent(session.Session.id)}&reason=${encodeURIComponent('Time for bed')}`);
  const after = await server.query('/status/sessions');
  const next = await timeline(other, 'playing', Math.floor(other.duration * 0.3));
  return {
    sessionId: session.Session.id,
    remaining: (after.MediaContainer.Metadata ?? []).length,
    terminationText: next?.MediaContainer?.terminationText ?? null,
  };
});

await step('timelineWatched', async () => {
  await timeline(other, 'playing', Math.floor(other.duration * 0.5));
  await timeline(other, 'stopped', Math.floor(other.duration * 0.95));
  await other.reload();
  return { ratingKey: String(other.ratingKey), viewCount: other.viewCount ?? 0 };
});

await step('history', async () => {
  const rows = await server.history(100, undefined, other.ratingKey);
  const all = await server.history();
  return { ratingKey: String(other.ratingKey), rows: rows.map(r => ({ ratingKey: String(r.ratingKey), accountID: r.accountID })), total: all.length };
});

await step('emptyTrash', async () => {
  const section = args['trash-section'] ? await library.sectionByID(args['trash-section']) : movies;
  await section.emptyTrash();
  return { section: section.key, items: (await section.all()).length };
});

process.exit(failures === 0 ? 0 : 1);
