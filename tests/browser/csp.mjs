// The Content-Security-Policy of a built dossier, in headless Chromium.
//
//   node tests/browser/csp.mjs <built site directory> [search query]
//   node tests/browser/csp.mjs --serve <dossier binary> <dossier directory>
//
// Site mode:
// 1. Every page has the policy as a <meta http-equiv="Content-Security-Policy"> in its <head>,
//    before any stylesheet, style or script, and the policy forbids inline script (checked
//    once: an injected inline script must not run, so a page without a working policy fails).
// 2. Every page loads with no CSP violation, over HTTP from the subpath /idlib-dossier/ and
//    from file://; so does 404.html served at a deep missing address (its inlined stylesheet is
//    allowed by hash, and must still apply).
// 3. The search page runs a search (default query "ceasefire") and shows results: Pagefind's
//    module, its WebAssembly and its worker all work under the policy.
// Violations are the `securitypolicyviolation` events and Chromium's "Refused to …" console
// messages; a call of alert(), confirm() or prompt() (what XSS vectors call) fails too, so the
// script also proves that a site built from hostile text (tests/xss.rs) runs nothing of it.
//
// Serve mode (`dossier serve` injects its live-reload script and overlay stylesheet): the front
// page and the first article load through the server with the live-reload script and overlay
// stylesheet applied and no violation; then an article's front matter is broken, and the error
// overlay must appear, still with no violation. The dossier directory should be a scratch copy:
// its first article is edited (and restored).
//
// Exits 0 when every check passes; otherwise lists what failed and exits 1.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { htmlFiles, launch, pool, serve, siteDir, startServe, watchCsp } from './lib.mjs';

const PARALLEL = 4;
const MISSING = 'no/such/page/';
const PATIENCE = 30_000;

const failures = [];
const fail = (what, problem) => failures.push(`${what}: ${problem}`);

/** A browser context whose tabs each collect their page's violations in `tab.violations`. */
async function openContext(browser, javaScript = true) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const byPage = new Map();
  await watchCsp(context, (page, text) => byPage.get(page)?.push(text));
  // Every XSS vector calls alert(), confirm() or prompt(): any call is a script that ran.
  await context.addInitScript(() => {
    for (const name of ['alert', 'confirm', 'prompt']) {
      window[name] = (...args) => console.error(`XSS: ${name}(${args.join(', ')}) was called`);
    }
  });
  context.on('console', (msg) => {
    if (msg.text().startsWith('XSS: ')) byPage.get(msg.page())?.push(msg.text());
  });
  const tab = async () => {
    const page = await context.newPage();
    const violations = [];
    byPage.set(page, violations);
    page.on('pageerror', (err) => violations.push(`uncaught exception: ${err.message}`));
    return { page, violations };
  };
  return { context, tab };
}

/** Loads `url` in `tab`; resolves to the violations seen (and a failure to load, if any). */
async function load(tab, url) {
  tab.violations.length = 0;
  try {
    await tab.page.goto(url, { waitUntil: 'load', timeout: 15_000 });
    // A violation event is dispatched as a task after the blocked load: let it arrive.
    await tab.page.evaluate(() => new Promise((ok) => setTimeout(ok, 50)));
  } catch (err) {
    tab.violations.push(`did not load: ${err.message.split('\n')[0]}`);
  }
  return [...tab.violations];
}

/** Where the page's CSP meta stands: its policy, and whether it precedes every style/script. */
function metaPlacement(page) {
  return page.evaluate(() => {
    const head = [...document.head.children];
    const meta = head.findIndex(
      (e) => e.localName === 'meta' && /^content-security-policy$/i.test(e.httpEquiv),
    );
    const first = head.findIndex((e) =>
      e.localName === 'script' || e.localName === 'style' ||
      (e.localName === 'link' && /stylesheet/i.test(e.rel)),
    );
    return {
      policy: meta >= 0 ? head[meta].content : null,
      first: meta >= 0 && (first < 0 || meta < first),
    };
  });
}

async function siteMode() {
  const dir = siteDir();
  const query = process.argv[3] || 'ceasefire';
  const pages = htmlFiles(dir);
  const server = await serve(dir);
  const browser = await launch();
  const started = Date.now();
  try {
    const { tab } = await openContext(browser);
    const tabs = await Promise.all(Array.from({ length: PARALLEL }, tab));
    let policies = new Set();
    for (const [mode, address] of [
      ['HTTP', (rel) => server.base + rel],
      ['file://', (rel) => pathToFileURL(join(dir, rel)).href],
    ]) {
      const results = await pool(pages, PARALLEL, async (rel, worker) => {
        const t = tabs[worker];
        const violations = await load(t, address(rel));
        if (mode === 'HTTP') {
          const { policy, first } = await metaPlacement(t.page);
          if (!policy) violations.push('no Content-Security-Policy meta in <head>');
          else if (!first) violations.push('the CSP meta comes after a stylesheet or script');
          if (policy) policies.add(policy.replace(/'sha256-[^']*'/g, "'sha256-…'"));
        }
        return violations;
      });
      results.forEach((v, i) => v.forEach((p) => fail(`${pages[i]} over ${mode}`, p)));
      const bad = results.filter((v) => v.length).length;
      console.log(`${pages.length} pages over ${mode}: ${bad} with CSP violations or problems`);
    }
    for (const p of policies) console.log(`policy: ${p}`);

    // The policy is in force: an inline script injected into the front page does not run.
    const probe = await tab();
    await load(probe, server.base + (pages.includes('index.html') ? 'index.html' : pages[0]));
    const ran = await probe.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.cspProbeRan = true;';
      document.head.append(s);
      return new Promise((ok) => setTimeout(() => ok(window.cspProbeRan === true), 50));
    });
    if (ran) fail('index.html', 'an injected inline script ran: the policy is not in force');
    else if (!probe.violations.some((v) => /script-src/.test(v))) {
      fail('index.html', `the blocked inline script was not reported as a violation: ${probe.violations}`);
    } else console.log('policy in force: an injected inline script was blocked and reported');

    // The 404 page at a deep address: inlined stylesheet allowed by its hash.
    if (pages.includes('404.html')) {
      const t = await tab();
      const v = await load(t, server.base + MISSING);
      v.forEach((p) => fail(`404.html at /${MISSING}`, p));
      const styled = await t.page.evaluate(
        () => [...document.styleSheets].filter((s) => s.cssRules.length > 0).length,
      );
      if (!styled) fail(`404.html at /${MISSING}`, 'its inlined stylesheet was not applied');
      console.log(`404.html at /${MISSING}: ${v.length} violations, ${styled} stylesheet applied`);
    }

    // Search: Pagefind (module import, WebAssembly, worker, fetches) under the policy.
    if (pages.includes('search/index.html')) {
      const t = await tab();
      await load(t, `${server.base}search/index.html?q=${encodeURIComponent(query)}`);
      let count = 0;
      try {
        await t.page.waitForSelector('.search-result', { timeout: 15_000 });
        await t.page.evaluate(() => new Promise((ok) => setTimeout(ok, 200)));
        count = await t.page.locator('.search-result').count();
        // Results are built from the index's text: only the elements search.js makes.
        const odd = await t.page.$$eval('#search-list *', (els) => [
          ...new Set(els.map((e) => e.localName).filter((n) => !['li', 'p', 'h3', 'a', 'span', 'mark'].includes(n))),
        ]);
        if (odd.length) fail('search/index.html', `unexpected elements in the results: ${odd.join(', ')}`);
        const texts = await t.page.locator('#search-list').innerText();
        console.log(`search results text starts: ${JSON.stringify(texts.slice(0, 160))}`);
      } catch (err) {
        fail('search/index.html', `no results for “${query}”: ${err.message.split('\n')[0]}`);
      }
      t.violations.forEach((p) => fail(`search/index.html?q=${query}`, p));
      console.log(`search for “${query}”: ${count} results, ${t.violations.length} violations`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return ((Date.now() - started) / 1000).toFixed(1);
}

async function serveMode(binary, root) {
  const articles = join(root, 'content/articles');
  const first = readdirSync(articles).filter((n) => n.endsWith('.md')).sort()[0];
  if (!first) throw new Error(`no article in ${articles}`);
  const file = join(articles, first);
  const good = readFileSync(file, 'utf8');
  const started = Date.now();
  const server = await startServe(binary, root, PATIENCE);
  const browser = await launch();
  try {
    const { tab } = await openContext(browser);
    const t = await tab();
    const slug = first.replace(/\.md$/, '');
    for (const rel of ['', `articles/${slug}/`]) {
      const v = await load(t, server.url + rel);
      v.forEach((p) => fail(`/${rel} through dossier serve`, p));
      const own = await t.page.evaluate(() => ({
        script: performance.getEntriesByType('resource').some((e) => e.name.endsWith('__dossier/livereload.js')),
        sheet: [...document.styleSheets].some((s) => s.href?.endsWith('__dossier/overlay.css') && s.cssRules.length > 0),
      }));
      if (!own.script) fail(`/${rel} through dossier serve`, 'the live-reload script did not load');
      if (!own.sheet) fail(`/${rel} through dossier serve`, 'the overlay stylesheet was not applied');
      console.log(`/${rel} through dossier serve: ${v.length} violations, live-reload script ${own.script ? 'loaded' : 'missing'}`);
    }
    // Break the article: the overlay must come, through the live-reload script, unblocked.
    writeFileSync(file, good.replace(/^(\uFEFF?---\r?\n)/, '$1published: [unclosed\n'));
    const deadline = Date.now() + PATIENCE;
    let shown = false;
    while (!shown && Date.now() < deadline) {
      shown = await t.page.locator('#dossier-overlay').count().catch(() => 0) > 0;
      if (!shown) await new Promise((ok) => setTimeout(ok, 100));
    }
    if (!shown) fail('dossier serve', 'the error overlay did not appear after a broken save');
    t.violations.forEach((p) => fail('dossier serve, error overlay', p));
    console.log(`error overlay through dossier serve: ${shown ? 'shown' : 'not shown'}, ${t.violations.length} violations`);
  } finally {
    writeFileSync(file, good);
    await browser.close();
    server.child.kill('SIGINT');
    await server.exited;
  }
  return ((Date.now() - started) / 1000).toFixed(1);
}

let seconds;
if (process.argv[2] === '--serve') {
  const [binary, root] = process.argv.slice(3);
  if (!binary || !root) {
    console.error('usage: node tests/browser/csp.mjs --serve <dossier binary> <dossier directory>');
    process.exit(2);
  }
  seconds = await serveMode(binary, root);
} else {
  seconds = await siteMode();
}
for (const f of [...new Set(failures)]) console.log(`FAIL ${f}`);
console.log(`\ncsp: ${failures.length} violations or failures (${seconds} s)`);
process.exitCode = failures.length ? 1 : 0;
