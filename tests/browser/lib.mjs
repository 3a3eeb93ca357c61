// Shared by the browser scripts (axe.mjs, pages.mjs): the built site's pages, a tiny static
// server that publishes the site under a subpath, headless Chromium, and a recorder of what
// went wrong while a page loaded. No network: the server listens on 127.0.0.1 only, on a port
// the system picks, and every request Chromium makes outside it is reported as a problem.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

/** The subpath the site is published under in the HTTP checks. */
export const PREFIX = '/idlib-dossier/';

/** The built site's directory: the script's first argument, which must be a directory. */
export function siteDir() {
  const dir = process.argv[2];
  if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`usage: node ${process.argv[1]} <built site directory>`);
    process.exit(2);
  }
  return resolve(dir);
}

/** Every `*.html` file under `dir`, as sorted `/`-separated relative paths. */
export function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.html')) out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `dir` at http://127.0.0.1:<port>/idlib-dossier/ the way a static host does: a path
 * ending in `/` serves its `index.html`; a missing file under the prefix is a 404 with the
 * site's `404.html` as its body; anything outside the prefix is a bare 404.
 * Resolves to `{ base, close }`, where `base` is the site's address (ending in `/`).
 * `hide(rel)` may name files to treat as missing (e.g. a host that lost `pagefind/`).
 */
export function serve(dir, { hide = () => false } = {}) {
  const notFound = existsSync(join(dir, '404.html')) ? readFileSync(join(dir, '404.html')) : null;
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return bare404(res);
    }
    if (!path.startsWith(PREFIX) || path.includes('\0')) return bare404(res);
    if (hide(path.slice(PREFIX.length))) return bare404(res);
    let file = resolve(dir, '.' + path.slice(PREFIX.length - 1));
    if (file !== dir && !file.startsWith(dir + sep)) return bare404(res);
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { location: path + '/' });
        return res.end();
      }
      file = join(file, 'index.html');
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (!notFound) return bare404(res);
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      return res.end(notFound);
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      ok({
        base: `http://127.0.0.1:${port}${PREFIX}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

function bare404(res) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}

/**
 * Launches headless Chromium: `$CHROMIUM`, else /usr/bin/chromium. Playwright gives it a fresh
 * profile directory of its own.
 */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Whether `url` is /favicon.ico at a host's root: Chromium asks each new origin for it when a page
 * declares no icon. That request is the browser's, outside the site's subpath, so its 404 is no
 * failure of the site.
 */
export const favicon = (url) => url !== undefined && new URL(url).pathname === '/favicon.ico';

/**
 * Calls `report(text)` for everything that goes wrong in `page`: console errors, uncaught
 * exceptions, failed requests, and responses with a status of 400 or more.
 * `excused(url)` may excuse an address's error status and Chromium's console line about it
 * (by default the favicon request; the 404 page's own document too when it is the one loaded).
 */
export function record(page, report, excused = favicon) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (msg.text().startsWith('Failed to load resource') && excused(msg.location()?.url)) return;
    report(`console error: ${msg.text()} (${msg.location()?.url ?? 'no location'})`);
  });
  page.on('pageerror', (err) => report(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) =>
    report(`request failed: ${req.url()} (${req.failure()?.errorText ?? 'unknown'})`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400 && !excused(res.url())) report(`HTTP ${res.status()}: ${res.url()}`);
  });
}

/**
 * Runs `task(item, worker)` on each item, `workers` at a time (`worker` is 0 to workers - 1,
 * so a task can use that worker's own tab); the results keep the items' order.
 */
export async function pool(items, workers, task) {
  const results = new Array(items.length);
  let next = 0;
  const run = async (worker) => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], worker);
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, worker) => run(worker)));
  return results;
}

/**
 * Reports every Content-Security-Policy violation in `context`'s pages through `report(page,
 * text)`: each `securitypolicyviolation` event (logged by an init script, so it is seen from the
 * very start of every document) and Chromium's own "Refused to …" console messages.
 */
export async function watchCsp(context, report) {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}` +
          ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}` +
          (e.sample ? ` (${e.sample})` : ''),
      );
    });
  });
  context.on('console', (msg) => {
    const text = msg.text();
    if (/CSP violation|Content Security Policy|Content-Security-Policy/i.test(text)) {
      report(msg.page(), text);
    }
  });
}

/**
 * Starts `BINARY serve --root ROOT --port 0`, waiting up to `patience` ms for its address;
 * resolves to { url, child, exited, stderr() }.
 */
export function startServe(binary, root, patience = 30_000) {
  const child = spawn(binary, ['serve', '--root', root, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((ok) => child.on('exit', (code, signal) => ok({ code, signal })));
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`serve did not start:\n${stderr}`)), patience);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Serving the dossier at (\S+)/);
      if (m) {
        clearTimeout(timer);
        ok({ url: m[1], child, exited, stderr: () => stderr });
      }
    });
    child.on('exit', () => fail(new Error(`serve exited early:\n${stderr}`)));
  });
}
