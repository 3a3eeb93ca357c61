// The search page in a real browser (Chromium through playwright-core).
//
//   node tests/browser/search.mjs <built-site-dir> [query]
//
// 1. Serves the built site over HTTP under a subpath (/idlib-dossier/), opens
//    search/index.html?q=<query> (default "ceasefire"), and checks that results appear with a
//    kind, a title link, an outlet and a date (for articles), and an excerpt with the match
//    marked; that the live region announces the count; that clicking an article result and a
//    claim result lands on the page (and the claim's anchor); and that typing a new query
//    searches again. Any script error fails the run.
//
// Needs playwright-core resolvable from here (tests/browser/node_modules) and Chromium at
// /usr/bin/chromium (or $CHROMIUM).
// 2. Serves it again without pagefind/ and checks the "could not be loaded" message, with its
//    links to the timeline and the article list (which exist).
// 3. Opens the same page from file:// and checks the plain "read on the web" message and the
//    same links.
// 4. Opens it with JavaScript off and checks the <noscript> message and the same links.
//
// Exits 0 when every check passes; otherwise prints what failed and exits 1.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch, serve } from "./lib.mjs";

const [siteArg, queryArg] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node tests/browser/search.mjs <built-site-dir> [query]");
  process.exit(2);
}
const site = path.resolve(siteArg);
const query = queryArg || "ceasefire";

function fail(message) {
  throw new Error(message);
}

function check(condition, message) {
  if (!condition) fail(message);
}

async function overHttp(browser, base) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

  await page.goto(`${base}search/index.html?q=${encodeURIComponent(query)}`);
  await page.waitForSelector(".search-result", { timeout: 15000 });
  check(await page.inputValue("#search-query") === query, "the query from ?q= is in the box");
  const status = (await page.textContent("#search-status")).trim();
  check(new RegExp(`^\\d+ results? for “${query}”`).test(status), `live region says the count: ${status}`);
  check(await page.getAttribute("#search-status", "aria-live") === "polite", "status is a live region");

  const results = await page.$$eval(".search-result", (items) => items.map((li) => ({
    kind: li.querySelector(".search-kind")?.textContent.trim(),
    title: li.querySelector(".search-title a")?.textContent.trim(),
    href: li.querySelector(".search-title a")?.href,
    outlet: li.querySelector(".search-outlet")?.textContent.trim(),
    date: li.querySelector(".search-date")?.textContent.trim(),
    excerpt: li.querySelector(".search-excerpt")?.textContent.trim(),
    marks: [...li.querySelectorAll(".search-excerpt mark")].map((m) => m.textContent.toLowerCase()),
  })));
  check(results.length > 0, "results appear");
  for (const r of results) {
    check(r.kind && r.title && r.href && r.excerpt, `result has kind, title, link, excerpt: ${JSON.stringify(r)}`);
    check(r.href.startsWith(base), `result link stays under the mount: ${r.href}`);
  }
  const article = results.find((r) => r.kind === "Article");
  check(article, `an article is found: ${JSON.stringify(results)}`);
  check(article.outlet && article.date, `an article result shows outlet and date: ${JSON.stringify(article)}`);
  check(results.some((r) => r.marks.some((m) => m.includes(query.toLowerCase().slice(0, 6)))),
    `an excerpt marks the match: ${JSON.stringify(results)}`);
  const claim = results.find((r) => r.kind === "Claim");
  check(claim, `a claim is found: ${JSON.stringify(results)}`);

  // Clicking an article result lands on its page.
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.click(`.search-title a[href="${article.href}"]`),
  ]);
  check(response && response.ok(), `the article result opens (${article.href})`);
  check((await page.textContent("h1")).trim().length > 0, "the article page has a heading");

  // A claim result lands on the dispute page, at the claim.
  const claimUrl = new URL(claim.href);
  const claimPage = await page.goto(claim.href);
  check(claimPage.ok(), `the claim result opens (${claim.href})`);
  check(claimUrl.hash.startsWith("#claim-"), `a claim result points at its anchor: ${claim.href}`);
  check(await page.$(claimUrl.hash) !== null, `the dispute page has the anchor ${claimUrl.hash}`);

  // Typing another query searches again and updates the address.
  await page.goto(`${base}search/index.html`);
  await page.fill("#search-query", "fired");
  await page.waitForFunction(() => /for “fired”/.test(document.querySelector("#search-status").textContent), null, { timeout: 15000 });
  check(new URL(page.url()).searchParams.get("q") === "fired", `the address carries the query: ${page.url()}`);
  const again = await page.$$eval(".search-result .search-kind", (k) => k.map((e) => e.textContent));
  check(again.includes("Claim"), `"fired" finds the claim: ${again}`);

  check(errors.length === 0, `no script errors: ${errors.join("\n")}`);
  await page.close();
}

// The message's links to the timeline and the article list, which must lead somewhere.
async function fallbackLinks(page, container) {
  const links = await page.$$eval(`${container} a`, (as) => as.map((a) => ({ text: a.textContent.trim(), href: a.href })));
  const timeline = links.find((l) => /timeline/i.test(l.text));
  const articles = links.find((l) => /articles/i.test(l.text));
  check(timeline && articles, `offers the timeline and the article list: ${JSON.stringify(links)}`);
  for (const l of [timeline, articles]) {
    const target = new URL(l.href);
    check(target.protocol === new URL(page.url()).protocol, `the link keeps the page's scheme: ${l.href}`);
    const exists = target.protocol === "file:"
      ? fs.existsSync(decodeURIComponent(target.pathname))
      : (await page.request.get(l.href)).ok();
    check(exists, `the link leads to a page: ${l.href}`);
  }
}

async function indexMissing(browser, base) {
  const page = await browser.newPage();
  await page.goto(`${base}search/index.html?q=${query}`);
  await page.waitForSelector("#search-unavailable:not([hidden])", { timeout: 15000 });
  check(await page.isVisible('[data-reason="load"]'), "says the index could not be loaded");
  check(!(await page.isVisible('[data-reason="file"]')), "does not blame file://");
  const text = (await page.textContent("#search-unavailable")).replace(/\s+/g, " ");
  check(/can also be found from these pages/.test(text), `tells the reader where else to look: ${text}`);
  check(!/http\.server|dossier build/.test(text), `gives no instructions for running a server: ${text}`);
  await fallbackLinks(page, "#search-unavailable");
  await page.close();
}

async function fromFile(browser) {
  const url = pathToFileURL(path.join(site, "search/index.html")).href + `?q=${query}`;
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector("#search-unavailable:not([hidden])", { timeout: 5000 });
  const text = (await page.textContent("#search-unavailable")).replace(/\s+/g, " ");
  check(/read from files on this computer/.test(text) && /read on the web/.test(text), `file:// says search works on the web, not from files: ${text}`);
  check(!(await page.isVisible("#search-query")), "no search box that cannot work");
  check(!(await page.isVisible('[data-reason="load"]')), "only the file:// reason is shown");
  await fallbackLinks(page, "#search-unavailable");
  await page.close();
}

async function withoutScript(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(site, "search/index.html")).href);
  const text = (await page.textContent("main")).replace(/\s+/g, " ");
  check(/Search needs JavaScript/.test(text), `without JavaScript the page says so: ${text}`);
  await fallbackLinks(page, "main noscript");
  await context.close();
}

const server = await serve(site);
// The same site on a host that lost its search index.
const noIndex = await serve(site, { hide: (rel) => rel.startsWith("pagefind/") });
const browser = await launch();
let code = 0;
try {
  await overHttp(browser, server.base);
  await indexMissing(browser, noIndex.base);
  await fromFile(browser);
  await withoutScript(browser);
  console.log("search.mjs: all checks passed");
} catch (e) {
  console.error(`search.mjs: ${e.message}`);
  code = 1;
} finally {
  await browser.close();
  await Promise.all([server.close(), noIndex.close()]);
}
process.exit(code);
