/* CooperaNet service worker: keeps the citizen site usable without a connection.
 *
 * Served by portal.pwa_views at /sw.js, which puts the configuration (same-origin URLs and a cache
 * version hashed from this file) in place of the placeholder below. Loaded from /static/ as it is,
 * the placeholder stays null and the worker does nothing.
 *
 * - App shell (site CSS, portal JS, Leaflet, icons) kept at install; served from the cache and
 *   refreshed in the background.
 * - Home, report pages and /api/taxonomy/: network first, the kept copy when the network fails,
 *   then the offline page for navigations.
 * - Never kept: anything but same-origin GETs, staff screens, photos, the rest of the API.
 *   Reports sent without a connection are queued by offline-queue.js (IndexedDB), not here.
 */
"use strict";

var CONFIG = /* @cooperanet-config */ null;

if (CONFIG) {
  var PREFIX = "cooperanet-";
  var STATIC_CACHE = PREFIX + "static-" + CONFIG.version;
  var PAGES_CACHE = PREFIX + "pages-" + CONFIG.version;
  var MATCH = { ignoreVary: true };

  var startsWithAny = function (path, prefixes) {
    return prefixes.some(function (prefix) { return path.indexOf(prefix) === 0; });
  };

  var isKeptPage = function (url) {
    var path = url.pathname;
    // A query string (search results) would fill the cache with one copy per search; the one kept is
    // the emergency notice's "continue to the form" link.
    if (url.search && url.search !== "?continuar=1") { return false; }
    if (path === CONFIG.offline || CONFIG.pages.indexOf(path) !== -1) { return true; }
    return path.indexOf(CONFIG.reportPrefix) === 0 && !startsWithAny(path, CONFIG.reportUncached);
  };

  var storable = function (response) {
    // Redirected answers cannot stand in for a navigation; "no-store" pages asked not to be kept.
    return response && response.ok && response.type === "basic" && !response.redirected &&
      (response.headers.get("Cache-Control") || "").indexOf("no-store") === -1;
  };

  // Fetch each page the cache lacks (after a logout the page cache is emptied, see offline-queue.js).
  var warmPages = function () {
    return caches.open(PAGES_CACHE).then(function (cache) {
      var required = cache.match(CONFIG.offline, MATCH).then(function (hit) {
        return hit || cache.add(new Request(CONFIG.offline, { cache: "no-cache", credentials: "same-origin" }));
      });
      var optional = CONFIG.pages.map(function (page) {
        return cache.match(page, MATCH).then(function (hit) {
          if (hit) { return null; }
          return fetch(new Request(page, { cache: "no-cache", credentials: "same-origin" })).then(function (response) {
            return storable(response) ? cache.put(page, response) : null;
          });
        }).catch(function () { return null; });
      });
      return Promise.all([required].concat(optional));
    });
  };

  self.addEventListener("install", function (event) {
    event.waitUntil(
      caches.open(STATIC_CACHE).then(function (cache) {
        return cache.addAll(CONFIG.shell.map(function (url) { return new Request(url, { cache: "no-cache" }); }));
      }).then(warmPages).then(function () { return self.skipWaiting(); })
    );
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(
      caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf(PREFIX) === 0 && key !== STATIC_CACHE && key !== PAGES_CACHE;
        }).map(function (key) { return caches.delete(key); }));
      }).then(function () { return self.clients.claim(); })
    );
  });

  self.addEventListener("message", function (event) {
    if (event.data && event.data.type === "cooperanet:warm") { event.waitUntil(warmPages()); }
  });

  var offlineAnswer = function () {
    return caches.match(CONFIG.offline, MATCH).then(function (hit) {
      return hit || new Response("Sin conexión / No connection", {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
      });
    });
  };

  // Weak mobile coverage: a kept copy is shown if the network has not answered within this time
  // (the network answer still refreshes the cache for next time).
  var SLOW_NETWORK_MS = 7000;

  var networkFirst = function (event, keep, isNavigation) {
    var request = event.request;
    var network = fetch(request).then(function (response) {
      if (keep && storable(response)) {
        var copy = response.clone();
        event.waitUntil(caches.open(PAGES_CACHE).then(function (cache) { return cache.put(request, copy); }));
      }
      return response;
    });
    event.waitUntil(network.catch(function () { return null; }));
    var kept = caches.match(request, MATCH);
    var slow = kept.then(function (hit) {
      if (!hit) { return new Promise(function () {}); }  // nothing to fall back on: wait for the network
      return new Promise(function (resolve) { setTimeout(function () { resolve(hit); }, SLOW_NETWORK_MS); });
    });
    var answer = network.catch(function (error) {
      return kept.then(function (hit) {
        if (hit) { return hit; }
        if (isNavigation) { return offlineAnswer(); }
        throw error;
      });
    });
    return Promise.race([answer, slow]);
  };

  var staleWhileRevalidate = function (event, keep) {
    var request = event.request;
    return caches.match(request, MATCH).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if ((hit || keep) && storable(response)) {
          var copy = response.clone();
          return caches.open(STATIC_CACHE).then(function (cache) { return cache.put(request, copy); })
            .then(function () { return response; });
        }
        return response;
      });
      if (hit) {
        event.waitUntil(fresh.catch(function () { return null; }));
        return hit;
      }
      return fresh;
    });
  };

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") { return; }
    var url = new URL(request.url);
    if (url.origin !== self.location.origin) { return; }
    var path = url.pathname;
    if (path === CONFIG.taxonomy) {
      event.respondWith(networkFirst(event, !url.search, false));
      return;
    }
    if (startsWithAny(path, CONFIG.uncached)) { return; }
    if (request.mode === "navigate") {
      event.respondWith(networkFirst(event, isKeptPage(url), true));
      return;
    }
    if (path.indexOf(CONFIG.staticUrl) === 0) {
      event.respondWith(staleWhileRevalidate(event, startsWithAny(path, CONFIG.cachedStatic)));
    }
  });
}
