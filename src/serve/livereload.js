// Live reload for `dossier serve`. The server adds this script to the pages it serves; it is
// never part of a built site. It listens to the server's events (server-sent events) next to
// it, at `__dossier/events`:
//   hello  {id}               the state the server is in; after a reconnect, a new id reloads
//   reload {id}               the site changed: reload the page
//   css    {id, swap}         only stylesheets changed: point each <link> at its new file
//   error  {id, html, errors} the build failed: show the overlay over the last good page
// EventSource reconnects by itself after a dropped connection; when it gives up (the server
// answered with an error, or was gone for long), this script starts a new one.
(() => {
  'use strict';
  const script = document.currentScript;
  const eventsUrl = new URL('events', script ? script.src : location.href);
  let known = null;

  const overlay = () => document.getElementById('dossier-overlay');

  function showOverlay(html) {
    const old = overlay();
    const template = document.createElement('template');
    template.innerHTML = html;
    const fresh = template.content.firstElementChild;
    if (!fresh) return;
    if (old) old.replaceWith(fresh);
    else document.body.prepend(fresh);
  }

  function swapStylesheets(swap) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const url = new URL(link.href);
      const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
      if (!Object.hasOwn(swap, name)) continue;
      const next = new URL(swap[name], url);
      // An unfingerprinted stylesheet keeps its name: ask for it afresh.
      if (swap[name] === name) next.searchParams.set('v', String(Date.now()));
      const clone = link.cloneNode();
      clone.href = next.href;
      // Swap when the new sheet has loaded, so the page never shows unstyled.
      clone.addEventListener('load', () => link.remove(), { once: true });
      clone.addEventListener('error', () => location.reload(), { once: true });
      link.after(clone);
    }
  }

  function connect() {
    const source = new EventSource(eventsUrl);
    const data = (event) => {
      try {
        return JSON.parse(event.data);
      } catch {
        return {};
      }
    };
    source.addEventListener('hello', (event) => {
      const { id } = data(event);
      if (known !== null && id !== known) location.reload();
      known = id;
    });
    source.addEventListener('reload', () => location.reload());
    source.addEventListener('css', (event) => {
      const { id, swap } = data(event);
      known = id;
      swapStylesheets(swap || {});
    });
    source.addEventListener('error', (event) => {
      if (event instanceof MessageEvent) {
        // The server's `error` event (a failed build), not a connection error.
        const { id, html } = data(event);
        known = id;
        if (html) showOverlay(html);
        return;
      }
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 1000);
      }
    });
  }

  // The overlay's "Hide" button.
  document.addEventListener('click', (event) => {
    const target = event.target;
    if (target instanceof Element && target.closest('[data-dossier-dismiss]')) {
      overlay()?.remove();
    }
  });

  connect();
})();
