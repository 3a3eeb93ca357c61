// The result lists of fixed queries over a built dossier, through Pagefind's own JavaScript
// (the site's pagefind/pagefind.js) in Chromium, so that tests/search.rs can pin them: a change
// to the index that changes what a reader finds, or in what order, shows as a snapshot diff.
//
//   node tests/browser/queries.mjs <built-site-dir> <query>…
//
// Prints one JSON object: each query → the URLs of its results, in Pagefind's ranking order,
// with the number of matched words in each. Exits 1 on any script error or failed load.

import { resolve } from 'node:path';
import { launch, serve } from './lib.mjs';

const [dir, ...queries] = process.argv.slice(2);
if (!dir || queries.length === 0) {
  console.error('usage: node tests/browser/queries.mjs <built-site-dir> <query>…');
  process.exit(2);
}

const { base, close } = await serve(resolve(dir));
const browser = await launch();
let failed = false;
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico')
    && errors.push(`${r.status()} ${r.url()}`));
  // The search page: same origin as the index, and a CSP that lets it load pagefind.js.
  await page.goto(`${base}search/index.html`);
  const results = await page.evaluate(async ({ base, queries }) => {
    const pagefind = await import(`${base}pagefind/pagefind.js`);
    await pagefind.init();
    const out = {};
    for (const query of queries) {
      const found = await pagefind.search(query);
      const data = await Promise.all(found.results.map((r) => r.data()));
      out[query] = data.map((d) => `${d.url} (${d.word_count} words, ${(d.locations || []).length} matches)`);
    }
    return out;
  }, { base, queries });
  if (errors.length > 0) {
    console.error(`errors while searching:\n${errors.join('\n')}`);
    failed = true;
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  await close();
}
process.exit(failed ? 1 : 0);
