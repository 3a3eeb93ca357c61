// Loads every page of a built dossier in headless Chromium, twice: from file:// (the site must
// work opened from disk) and over HTTP from the subpath /idlib-dossier/ (the site must work
// published below a host's root). Then loads a deep address that does not exist,
// /idlib-dossier/no/such/page/, which the server answers with 404.html's body, as static hosts
// do: the 404 page must find its stylesheet from any depth. Last, every page is opened from
// file:// at a phone's width (390 px): none may be wider than the screen, so that the page never
// scrolls sideways (a wide table or chart scrolls in its own box).
// Fails (exit 1) on any console error, uncaught exception, failed request or HTTP status >= 400,
// or a page wider than the phone's screen, listing each one under the page that caused it.
//
//   node tests/browser/pages.mjs <built site directory>

import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { favicon, htmlFiles, launch, pool, record, serve, siteDir } from './lib.mjs';

const PARALLEL = 4;
const MISSING = 'no/such/page/';

const dir = siteDir();
const pages = htmlFiles(dir);
const server = await serve(dir);
const browser = await launch();
const context = await browser.newContext();

/**
 * Opens `count` tabs, each recording into its own list of problems; `load(tab, url)` navigates
 * a tab and resolves to the problems seen on that page (empty when it is clean).
 */
async function tabs(count, excused) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const page = await context.newPage();
      const tab = { page, problems: [] };
      record(page, (p) => tab.problems.push(p), excused);
      return tab;
    }),
  );
}

async function load(tab, url) {
  tab.problems = [];
  try {
    await tab.page.goto(url, { waitUntil: 'load', timeout: 15_000 });
  } catch (err) {
    tab.problems.push(`did not load: ${err.message.split('\n')[0]}`);
  }
  return tab.problems;
}

const started = Date.now();
const failures = [];
for (const [mode, address] of [
  ['file://', (rel) => pathToFileURL(join(dir, rel)).href],
  [`HTTP ${server.base}`, (rel) => server.base + rel],
]) {
  const open = await tabs(PARALLEL, favicon);
  const results = await pool(pages, PARALLEL, (rel, worker) => load(open[worker], address(rel)));
  results.forEach((problems, i) => {
    if (problems.length) failures.push({ what: `${pages[i]} over ${mode}`, problems });
  });
  console.log(`${pages.length} pages over ${mode}: ${results.filter((p) => p.length).length} with problems`);
}

if (pages.includes('404.html')) {
  const url = server.base + MISSING;
  const [tab] = await tabs(1, (u) => u === url || favicon(u));
  const problems = await load(tab, url);
  const styled = await tab.page.evaluate(
    () => [...document.styleSheets].filter((s) => s.cssRules.length > 0).length,
  );
  if (!styled) problems.push('no stylesheet was applied');
  if (problems.length) failures.push({ what: `404.html served at ${url}`, problems });
  console.log(`404.html served at /${MISSING}: ${problems.length} problems`);
} else {
  failures.push({ what: '404.html', problems: ['missing from the site'] });
}

// A phone's width: a page as wide as the screen has no sideways scroll.
const PHONE = { width: 390, height: 844 };
{
  const phone = await browser.newContext({ viewport: PHONE });
  const tabs = await Promise.all(Array.from({ length: PARALLEL }, () => phone.newPage()));
  const widths = await pool(pages, PARALLEL, async (rel, worker) => {
    const tab = tabs[worker];
    await tab.goto(pathToFileURL(join(dir, rel)).href, { waitUntil: 'load', timeout: 15_000 });
    return tab.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  });
  widths.forEach(([scroll, client], i) => {
    if (scroll > client) {
      failures.push({
        what: `${pages[i]} at ${PHONE.width} px`,
        problems: [`${scroll} px wide on a screen ${client} px wide: it scrolls sideways`],
      });
    }
  });
  console.log(`${pages.length} pages at ${PHONE.width} px: ${widths.filter(([s, c]) => s > c).length} wider than the screen`);
  await phone.close();
}

await browser.close();
await server.close();

for (const { what, problems } of failures) {
  console.log(`\n${what}:`);
  for (const p of [...new Set(problems)]) console.log(`  ${p}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\npages: ${failures.length} failed, ${3 * pages.length + 1 - failures.length} clean (${seconds} s)`);
process.exitCode = failures.length ? 1 : 0;
