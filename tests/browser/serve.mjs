// `dossier serve` in a real browser (Chromium through playwright-core).
//
//   node tests/browser/serve.mjs <dossier binary> <dossier directory>
//
// Starts `dossier serve --port 0` on the dossier (a scratch copy: this script edits its files),
// opens an article and then, without ever reloading the page by hand:
// 1. edits the article's Markdown on disk and waits for the page to show the new text;
// 2. edits the stylesheet and checks that the page restyles without a reload (the same
//    document, a marker left in `window` survives);
// 3. breaks the article's front matter and waits for the error overlay to name the file and
//    line, over the last good page;
// 4. fixes it and waits for the overlay to go;
// then stops the server with SIGINT and checks it exits 0. Any uncaught script error fails.
// Exits 0 when every check passes; otherwise prints what failed and exits 1.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, startServe } from './lib.mjs';

const [binary, root] = process.argv.slice(2);
if (!binary || !root) {
  console.error('usage: node tests/browser/serve.mjs <dossier binary> <dossier directory>');
  process.exit(2);
}

const ARTICLE = 'content/articles/2020-01-02-wire-report.md';
const PAGE = 'articles/2020-01-02-wire-report/index.html';
const PATIENCE = 30_000;

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Polls `probe` (which may throw while the page navigates) until it returns true. */
async function until(what, probe) {
  const deadline = Date.now() + PATIENCE;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (e) {
      last = e;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting until ${what}${last ? ` (${last.message})` : ''}`);
}

const file = join(root, ARTICLE);
const good = readFileSync(file, 'utf8');
const server = await startServe(binary, root, PATIENCE);
const browser = await launch();
const problems = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  await page.goto(server.url + PAGE);
  const main = () => page.locator('main').innerText();
  if (!(await main()).includes('A footnote.')) throw new Error('the article did not load');

  // 1. Markdown edit → the page shows it.
  writeFileSync(file, good.replace('A footnote.', 'A footnote, changed in the browser test.'));
  await until('the edited text shows', async () => (await main()).includes('changed in the browser test'));

  // 2. Stylesheet edit → restyled in place.
  await page.evaluate(() => {
    window.dossierMarker = 'same document';
  });
  const css = await page.evaluate(async () => {
    const link = document.querySelector('link[rel=stylesheet][href*="style."]');
    return (await fetch(link.href)).text();
  });
  writeFileSync(join(root, 'static/style.css'), `${css}\nmain { outline: 7px solid rgb(1, 2, 3); }\n`);
  await until('the new stylesheet applies', async () =>
    (await page.locator('main').evaluate((m) => getComputedStyle(m).outlineColor)) === 'rgb(1, 2, 3)',
  );
  const marker = await page.evaluate(() => window.dossierMarker);
  if (marker !== 'same document') throw new Error('a stylesheet edit reloaded the page');
  const sheets = await page.locator('link[rel=stylesheet][href*="style."]').count();
  if (sheets !== 1) throw new Error(`${sheets} theme stylesheets after the swap, expected 1`);

  // 3. Broken front matter → the overlay names the file and line; the page stays.
  writeFileSync(file, good.replace('outlet: wire\n', 'outlet: wire\npublished: [unclosed\n'));
  const overlay = page.locator('#dossier-overlay');
  await until('the overlay names the file and line', async () =>
    (await overlay.innerText()).includes(`${ARTICLE}:4:`),
  );
  if ((await overlay.getAttribute('role')) !== 'alertdialog') throw new Error('overlay role');
  if (!(await overlay.isVisible())) throw new Error('the overlay is not visible');
  if (!(await main()).includes('changed in the browser test')) {
    throw new Error('the last good page is gone under the overlay');
  }

  // 4. Fixed → the overlay goes.
  writeFileSync(file, good);
  await until('the overlay is gone', async () => (await overlay.count()) === 0);
  await until('the fixed text shows', async () => !(await main()).includes('changed in the browser test'));
} catch (e) {
  problems.push(e.message);
} finally {
  await browser.close();
  server.child.kill('SIGINT');
  const { code, signal } = await server.exited;
  if (code !== 0) problems.push(`serve exited with ${code ?? signal} after SIGINT:\n${server.stderr()}`);
}

if (problems.length) {
  for (const p of problems) console.error(`FAIL ${p}`);
  process.exit(1);
}
console.log('serve.mjs: live reload, stylesheet swap and error overlay work in Chromium');
