// Checks every HTML page and stylesheet of a built dossier with the Nu HTML Checker (vnu.jar,
// from the vnu-jar package; needs Java 17+ on PATH as `java`, or `$JAVA`). Prints each error
// and warning as `file:line:col: kind: message`, then the counts; fails (exit 1) on any error.
// Warnings are reported but do not fail the check.
//
//   node tests/browser/vnu.mjs <built site directory>

import { spawnSync } from 'node:child_process';
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

const counts = { error: 0, warning: 0, info: 0 };
for (const m of messages) {
  const kind =
    m.type === 'info' ? (m.subType === 'warning' ? 'warning' : 'info') : 'error'; // error, non-document-error
  counts[kind] += 1;
  if (kind === 'info') continue;
  const file = m.url?.startsWith('file:') ? relative(dir, fileURLToPath(m.url)) : (m.url ?? '?');
  console.log(`${file}:${m.lastLine ?? 0}:${m.firstColumn ?? m.lastColumn ?? 0}: ${kind}: ${m.message}`);
}
console.log(
  `\nvnu ${version}: ${pages} pages and their stylesheets checked: ` +
    `${counts.error} errors, ${counts.warning} warnings, ${counts.info} info messages`,
);
process.exitCode = counts.error ? 1 : 0;
