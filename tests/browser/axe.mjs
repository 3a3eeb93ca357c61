// Runs axe-core (the accessibility rules of WCAG 2.x A/AA plus axe's best practices) in headless
// Chromium on four pages of a built dossier served over HTTP: the front page, one article (the
// Press TV full text when there is one), the dispute and the timeline, each in the light and the
// dark colour scheme (the stylesheet has both, and contrast differs). Prints every violation
// (rule, impact, help, and the elements it was found on), and fails (exit 1) when any is
// `serious` or `critical`.
//
//   node tests/browser/axe.mjs <built site directory>

import { createRequire } from 'node:module';
import { htmlFiles, launch, record, serve, siteDir } from './lib.mjs';

const FAILING = new Set(['serious', 'critical']);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const dir = siteDir();
const all = htmlFiles(dir);
const articles = all.filter((p) => /^articles\/[^/]+\/index\.html$/.test(p));
const article = articles.find((p) => p.includes('presstv')) ?? articles[0];
const pages = ['index.html', article, 'dispute/index.html', 'timeline/index.html'];

const server = await serve(dir);
const browser = await launch();
// axe-core is injected as an inline script, which the site's Content-Security-Policy forbids
// (tests/browser/csp.mjs checks the policy itself): this context bypasses it.
const page = await (await browser.newContext({ bypassCSP: true })).newPage();
const problems = [];
record(page, (p) => problems.push(p));

let failing = 0;
let total = 0;
for (const rel of pages) {
  if (!rel || !all.includes(rel)) {
    console.log(`${rel ?? 'an article page'}: missing from the site`);
    failing += 1;
    continue;
  }
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.goto(server.base + rel, { waitUntil: 'load' });
    await page.addScriptTag({ path: axePath });
    const { violations } = await page.evaluate(() => window.axe.run(document));
    const bad = violations.filter((v) => FAILING.has(v.impact)).length;
    console.log(`${rel} (${colorScheme}): ${violations.length} violations, ${bad} serious or critical`);
    for (const v of violations) {
      console.log(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
      for (const node of v.nodes) console.log(`    ${node.target.join(' ')}`);
    }
    failing += bad;
    total += violations.length;
  }
}

await browser.close();
await server.close();

if (problems.length) console.log(`while loading: ${[...new Set(problems)].join('; ')}`);
console.log(`\naxe: ${total} violations on ${pages.length} pages in 2 colour schemes, ${failing} serious or critical`);
process.exitCode = failing ? 1 : 0;
