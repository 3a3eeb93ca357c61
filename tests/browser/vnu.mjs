// Checks every HTML page and stylesheet of a built dossier with the Nu HTML Checker (vnu.jar,
// from the vnu-jar package; needs Java 17+ on PATH as `java`, or `$JAVA`). Prints each error
// and warning as `file:line:col: kind: message`, then the counts; fails (exit 1) on any error.
// Warnings are reported but do not fail the check. Warnings known to be artifacts of checking
// files rather than served pages (listed in BENIGN below, each with its reason) are counted,
// not printed, so that a new warning stands out.
//
//   node tests/browser/vnu.mjs <built site directory>

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { htmlFiles, siteDir } from './lib.mjs';

const require = createRequire(import.meta.url);
const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
const { version } = require('vnu-jar/package.json');
const dir = siteDir();
const pages = htmlFiles(dir).length;

const run = spawnSync(
  process.env.JAVA || 'java',
  ['-jar', jar, '--skip-non-html', '--also-check-css', '--format', 'json', dir],
  { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
);
if (run.error) {
  console.error(`vnu: cannot run java: ${run.error.message}`);
  process.exit(2);
}
// vnu writes its JSON report to stderr.
let messages;
try {
  messages = JSON.parse(run.stderr.slice(run.stderr.indexOf('{'))).messages;
} catch {
  console.error(`vnu: no JSON report (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  process.exit(2);
}

// Warnings that say nothing about the pages as served. vnu reads the files from `file:` URLs,
// which have no origin, and it does not evaluate hashes or script types against the CSP; the
// pages' real CSP behaviour is checked in Chromium over HTTP by csp.mjs. Each test gets the
// message, the highlighted source (`<link …>`, `<script …>`, `<style>`) and the page's text.
const BENIGN = [
  {
    reason: "a relative stylesheet or script URL: same-origin when served, but a file: page has " +
      "no origin for 'self' to match",
    test: (m) =>
      /^Resource violates Content Security Policy \(meta tag\): external (stylesheet|script) “[^”]*” blocked by “(style|script)-src” directive\.$/.test(m.message) &&
      !/“([a-z][a-z0-9+.-]*:|\/\/)/i.test(m.message),
  },
  {
    reason: 'the JSON-LD block: a data block, which browsers do not run and CSP does not govern',
    test: (m, source) =>
      m.message.startsWith('Inline script violates Content Security Policy (meta tag)') &&
      /^<script type="application\/ld\+json">$/.test(source),
  },
  {
    reason: "an inline stylesheet allowed by a 'sha256-…' hash in style-src, which vnu does not " +
      'compute (csp.mjs checks that Chromium applies it)',
    test: (m, source, page) =>
      m.message.startsWith('Inline style violates Content Security Policy (meta tag)') &&
      source === '<style>' &&
      /style-src [^;"]*'sha256-/.test(page),
  },
];

const counts = { error: 0, warning: 0, info: 0 };
const benign = new Map();
for (const m of messages) {
  const kind =
    m.type === 'info' ? (m.subType === 'warning' ? 'warning' : 'info') : 'error'; // error, non-document-error
  counts[kind] += 1;
  if (kind === 'info') continue;
  const path = m.url?.startsWith('file:') ? fileURLToPath(m.url) : null;
  const file = path ? relative(dir, path) : (m.url ?? '?');
  if (kind === 'warning' && path) {
    const source = (m.extract ?? '').substr(m.hiliteStart ?? 0, m.hiliteLength ?? 0);
    const known = BENIGN.find((b) => b.test(m, source, readFileSync(path, 'utf8')));
    if (known) {
      benign.set(known.reason, (benign.get(known.reason) ?? 0) + 1);
      continue;
    }
  }
  console.log(`${file}:${m.lastLine ?? 0}:${m.firstColumn ?? m.lastColumn ?? 0}: ${kind}: ${m.message}`);
}
const known = [...benign.values()].reduce((a, b) => a + b, 0);
console.log(
  `\nvnu ${version}: ${pages} pages and their stylesheets checked: ` +
    `${counts.error} errors, ${counts.warning} warnings, ${counts.info} info messages`,
);
if (known) {
  console.log(`${known} of the warnings are known artifacts of checking files, not shown:`);
  for (const [reason, n] of benign) console.log(`  ${n}: ${reason}`);
}
process.exitCode = counts.error ? 1 : 0;
