/* CooperaNet offline queue: reports made without a connection are kept on the phone and sent later.
 *
 * Loaded (defer) on every page by portal/base.html, whose script tag gives the service worker URL
 * (data-sw) and the logout URL (data-logout). It:
 * - registers the service worker (/sw.js) that keeps the site's pages and assets for offline use;
 * - takes over the real submit of the report form (after report-form.js's review step): the form
 *   (fields, photos, csrf token, hidden idempotency_key) is saved in IndexedDB first, then posted
 *   with fetch. Done → the folio page; no connection → it stays saved and is sent later; the server
 *   refused it (a 200 re-render) → the form is posted the ordinary way, so the errors show as usual;
 * - sends saved reports on `online`, on page load and every 30 s while some remain. The server makes
 *   one incident per idempotency_key, so a send whose answer was lost and is sent again still ends
 *   as one incident with one folio;
 * - shows a "Reportes pendientes" panel on every page while there are saved or just-sent reports.
 * Without IndexedDB or fetch nothing is taken over: the form posts as it would without JavaScript. */
(function () {
  "use strict";
  if (!window.Promise || !window.fetch || !window.FormData || !window.indexedDB) { return; }

  var script = document.currentScript;
  var swUrl = script ? script.getAttribute("data-sw") : null;
  var logoutUrl = script ? script.getAttribute("data-logout") : null;
  var lang = document.documentElement.lang || "es";
  var T = lang.indexOf("en") === 0 ? {
    queued: "No connection: your report was saved on this phone and will be sent automatically when the connection returns.",
    notStored: "No connection, and this browser could not save the report. Please try again when you have signal.",
    sending: "Sending your report…",
    panel: "Pending reports",
    report: "Report",
    savedAt: "saved ",
    waiting: "Waiting for a connection: it will be sent automatically.",
    sendingItem: "Sending…",
    review: "Needs review: the report was not accepted. Check the reasons, then try again or discard it and make it again.",
    sent: "Sent: folio ",
    track: "See my report",
    retry: "Try again",
    discard: "Discard",
    confirmDiscard: "Discard this saved report? It will not be sent.",
    dismiss: "Hide"
  } : {
    queued: "Sin conexión: su reporte quedó guardado en este teléfono y se enviará solo cuando vuelva la conexión.",
    notStored: "No hay conexión y este navegador no pudo guardar el reporte. Intente de nuevo cuando tenga señal.",
    sending: "Enviando su reporte…",
    panel: "Reportes pendientes",
    report: "Reporte",
    savedAt: "guardado el ",
    waiting: "Esperando conexión: se enviará solo.",
    sendingItem: "Enviando…",
    review: "Necesita revisión: el reporte no fue aceptado. Vea los motivos; luego reintente o descártelo y hágalo de nuevo.",
    sent: "Enviado: folio ",
    track: "Ver mi reporte",
    retry: "Reintentar",
    discard: "Descartar",
    confirmDiscard: "¿Descartar este reporte guardado? No se enviará.",
    dismiss: "Ocultar"
  };
  // portal:report_done; its folio is the last part of the path.
  var DONE_PATH = /\/reportar\/listo\/([^\/]+)\/$/;
  var RETRY_MS = 30000;
  var SENT_KEPT_MS = 30 * 24 * 3600 * 1000;  // keys of sent reports are remembered this long (see freshKey)
  var noop = function () {};

  // ---- IndexedDB in a few lines: "outbox" holds saved reports, "sent" the keys and folios sent. ----
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("cooperanet-offline", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
          request.result.createObjectStore("sent", { keyPath: "key" });
        };
        request.onsuccess = function () {
          request.result.onversionchange = function () { request.result.close(); dbPromise = null; };
          resolve(request.result);
        };
        request.onerror = function () { reject(request.error); };
      });
      dbPromise.catch(function () { dbPromise = null; });
    }
    return dbPromise;
  }
  // One transaction; `work(tx)` may return a request whose result the promise resolves to.
  function run(stores, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(stores, mode);
        var result;
        var request = work(tx);
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function all(store) { return run(store, "readonly", function (tx) { return tx.objectStore(store).getAll(); }); }
  function put(store, value) { return run(store, "readwrite", function (tx) { return tx.objectStore(store).put(value); }); }
  function remove(store, key) { return run(store, "readwrite", function (tx) { tx.objectStore(store)["delete"](key); }); }
  // Change a saved report only if it is still there (the person may have discarded it meanwhile).
  function update(id, changes) {
    return run("outbox", "readwrite", function (tx) {
      var outbox = tx.objectStore("outbox");
      var request = outbox.get(id);
      request.onsuccess = function () {
        if (request.result) { outbox.put(Object.assign(request.result, changes)); }
      };
    });
  }

  // Other tabs of this site redraw their panel when this one changes the queue.
  var channel = window.BroadcastChannel ? new BroadcastChannel("cooperanet-offline") : null;
  function changed() {
    if (channel) { channel.postMessage("changed"); }
    return refresh();
  }

  // One sender at a time, across tabs where the browser has Web Locks: two tabs sending the same
  // report at once would have the second told "still being processed" instead of its folio.
  var localTurn = Promise.resolve();
  function exclusive(work) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("cooperanet-offline-queue", work);
    }
    var turn = localTurn.then(work, work);
    localTurn = turn["catch"](noop);
    return turn;
  }

  // ---- Saving and sending a report. ----
  function readBuffer(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(blob);
    });
  }

  // The form as stored: strings as they are, photos copied into ArrayBuffers (a copy, so the report
  // survives the photo being moved; and every browser stores ArrayBuffers in IndexedDB).
  function formFields(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) { pairs.push([name, value]); });
    return Promise.all(pairs.map(function (pair) {
      var value = pair[1];
      if (typeof value === "string") { return { name: pair[0], value: value }; }
      if (!value.name && !value.size) { return null; }  // an empty file input
      return readBuffer(value).then(function (buffer) {
        return { name: pair[0], data: buffer, type: value.type, filename: value.name || "foto" };
      });
    })).then(function (fields) { return fields.filter(Boolean); });
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function body(entry) {
    var data = new FormData();
    // The current csrf cookie: the one in the saved form is stale if the person logged in meanwhile.
    var csrf = cookie("csrftoken");
    entry.fields.forEach(function (field) {
      if (field.data !== undefined) {
        data.append(field.name, new Blob([field.data], { type: field.type }), field.filename);
      } else if (field.name === "csrfmiddlewaretoken" && csrf) {
        data.append(field.name, csrf);
      } else {
        data.append(field.name, field.value);
      }
    });
    return data;
  }

  function parse(html) {
    try { return new DOMParser().parseFromString(html, "text/html"); } catch (error) { return null; }
  }

  // The reasons the server gave, as "Field: message" lines, from the re-rendered form.
  function reasons(doc) {
    var out = [];
    if (!doc) { return out; }
    doc.querySelectorAll(".form-error:not(#form-errors), .field-error").forEach(function (node) {
      var field = node.closest(".field");
      var label = field ? field.querySelector("label") : null;
      var text = node.textContent.replace(/\s+/g, " ").trim();
      if (text) { out.push(label ? label.textContent.trim() + ": " + text : text); }
    });
    return out.slice(0, 6);
  }

  // POST the saved form. Resolves {kind: "sent", folio, done, tracking} | {kind: "review", errors}
  // | {kind: "retry"}; rejects on a network error.
  function send(entry) {
    return fetch(entry.action, {
      method: "POST", body: body(entry), credentials: "same-origin", redirect: "follow"
    }).then(function (response) {
      var url = new URL(response.url, window.location.href);
      var done = url.origin === window.location.origin ? DONE_PATH.exec(url.pathname) : null;
      if (done) {
        var result = { kind: "sent", folio: decodeURIComponent(done[1]), done: url.pathname, tracking: "" };
        // The tracking link (with its secret) is on that page; the folio alone is enough if it is lost.
        return response.text().then(function (html) {
          var doc = parse(html);
          var link = doc ? doc.getElementById("tracking-link") : null;
          var href = link ? new URL(link.getAttribute("href"), window.location.href) : null;
          if (href && href.origin === window.location.origin) { result.tracking = href.pathname + href.search; }
          return result;
        }, function () { return result; });
      }
      // Busy, flood-limited or unreachable behind a proxy: try again later (not before Retry-After).
      if ([408, 429, 502, 503, 504].indexOf(response.status) !== -1) {
        return { kind: "retry", status: response.status, after: parseInt(response.headers.get("Retry-After"), 10) || 0 };
      }
      return response.text().then(function (html) {
        return { kind: "review", errors: reasons(parse(html)) };
      }, function () { return { kind: "review", errors: [] }; });
    });
  }

  function recordSent(entry, result, dismissed) {
    return run(["outbox", "sent"], "readwrite", function (tx) {
      if (entry.id !== undefined) { tx.objectStore("outbox")["delete"](entry.id); }
      tx.objectStore("sent").put({
        key: entry.key || "entry-" + entry.created, folio: result.folio, done: result.done,
        tracking: result.tracking, title: entry.title, sentAt: Date.now(), dismissed: dismissed
      });
    });
  }

  var sendingIds = {};   // being sent by this page now
  var directIds = {};    // being sent straight from this page's form: not listed in the panel

  // Send one saved report and record the outcome: "sent", "review" or "retry".
  function deliver(entry, direct) {
    sendingIds[entry.id] = true;
    refresh();
    return send(entry).then(function (result) {
      if (result.kind === "sent") {
        return recordSent(entry, result, direct).then(function () {
          announceOnForm(entry, result);
          return result;
        });
      }
      if (direct && (result.kind === "review" || result.status === 429)) {
        // The form is still on screen: it is posted the ordinary way and the server's page explains.
        return remove("outbox", entry.id).then(function () { return { kind: "review" }; });
      }
      return update(entry.id, {
        status: result.kind === "review" ? "review" : "queued", errors: result.errors || [],
        notBefore: Date.now() + (result.after || 0) * 1000
      }).then(function () { return result; });
    })["catch"](function () {
      // No connection, or the outcome could not be recorded: the report stays saved and is sent again
      // later (the server answers a resend with the same folio).
      return { kind: "retry" };
    }).then(function (result) {
      delete sendingIds[entry.id];
      return changed().then(function () { return result; });
    });
  }

  var replaying = null;
  // Send every saved report that is not waiting for the person's review, oldest first; stop at the
  // first one that cannot get through (no use trying the rest on a dead connection).
  function replayAll() {
    if (replaying) { return replaying; }
    replaying = exclusive(function () {
      return all("outbox").then(function (entries) {
        var now = Date.now();
        return entries.filter(function (entry) { return entry.status !== "review" && !(entry.notBefore > now); })
          .reduce(function (chain, entry) {
            return chain.then(function (stop) {
              if (stop) { return true; }
              return deliver(entry, false).then(function (result) { return result.kind === "retry"; });
            });
          }, Promise.resolve(false));
      });
    })["catch"](noop).then(function () { replaying = null; });
    return replaying;
  }

  // ---- The report form. ----
  var formStatus = null;
  var currentForm = null;

  function showStatus(form, text, kind, link) {
    if (!formStatus) {
      formStatus = document.createElement("p");
      formStatus.className = "offline-status";
      formStatus.setAttribute("role", "status");
      var submit = form.querySelector("[type=submit]");
      var anchor = submit && submit.parentNode !== form ? submit.parentNode : null;
      if (anchor) { anchor.parentNode.insertBefore(formStatus, anchor.nextSibling); } else { form.appendChild(formStatus); }
    }
    formStatus.className = "offline-status offline-" + kind;
    formStatus.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href; a.textContent = link.text;
      formStatus.appendChild(a);
    }
  }

  function announceOnForm(entry, result) {
    var key = currentForm ? currentForm.querySelector("[name=idempotency_key]") : null;
    if (key && key.value === entry.key && formStatus) {
      showStatus(currentForm, T.sent, "sent", { href: result.done, text: result.folio });
    }
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  // A form page opened from the service worker's cache carries the key of the visit that cached it,
  // maybe already used for another report; such a key is replaced so the server does not take this
  // report for a resend of that one.
  function freshKey(input) {
    if (!input || !input.value) { return Promise.resolve(); }
    return Promise.all([all("outbox"), all("sent")]).then(function (stores) {
      var used = stores[0].concat(stores[1]).some(function (item) { return item.key === input.value; });
      if (used) { input.value = newKey(); }
    });
  }

  function title() {
    var h1 = document.querySelector("main h1");
    return h1 ? h1.textContent.trim() : T.report;
  }

  function submitReport(form) {
    var submit = form.querySelector("[type=submit]");
    var keyInput = form.querySelector("[name=idempotency_key]");
    var entry = null;
    var stored = false;
    currentForm = form;
    showStatus(form, T.sending, "sending");
    freshKey(keyInput).then(function () {
      return formFields(form);
    }).then(function (fields) {
      entry = {
        action: form.action, created: Date.now(), key: keyInput ? keyInput.value : "",
        title: title(), fields: fields, status: "queued", errors: []
      };
      return put("outbox", entry);
    }).then(function (id) {
      entry.id = id;
      stored = true;
      // Always try: navigator.onLine is only a hint (false on a VPN, a captive portal, or a server on
      // the same machine), and a fetch without a connection fails at once, leaving the report queued.
      directIds[id] = true;
      return exclusive(function () { return deliver(entry, true); });
    }).then(function (result) {
      delete directIds[entry.id];
      if (result.kind === "sent") {
        window.location.assign(result.done);
      } else if (result.kind === "review") {
        form.submit();
      } else {
        showStatus(form, T.queued, "queued");
        changed();
      }
    }, function () {
      if (stored) {
        delete directIds[entry.id];
        showStatus(form, T.queued, "queued");
        changed();
      } else if (navigator.onLine !== false) {
        form.submit();  // could not save it (storage full or refused): post it the ordinary way
      } else {
        showStatus(form, T.notStored, "error");
        if (submit) { submit.disabled = false; }
      }
    });
  }

  // After report-form.js: its review step cancels the first submit; the one it lets through is real.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.id !== "report-form" || event.defaultPrevented) { return; }
    event.preventDefault();
    submitReport(form);
  });

  // Logging out: forget the kept pages (they show the person's name and prefilled contact fields).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!logoutUrl || !window.caches || !form || form.getAttribute("action") !== logoutUrl || event.defaultPrevented) {
      return;
    }
    event.preventDefault();
    var done = false;
    var go = function () { if (!done) { done = true; form.submit(); } };
    setTimeout(go, 1500);  // never keep the person from logging out
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key.indexOf("cooperanet-pages-") === 0; })
        .map(function (key) { return caches["delete"](key); }));
    }).then(go, go);
  });

  // ---- The "Reportes pendientes" panel. ----
  var panel = null;
  var list = null;
  var drawn = "";

  function buildPanel() {
    panel = document.createElement("section");
    panel.className = "offline-panel";
    panel.id = "offline-panel";
    panel.hidden = true;
    panel.setAttribute("aria-live", "polite");
    panel.setAttribute("aria-labelledby", "offline-panel-title");
    var heading = document.createElement("h2");
    heading.id = "offline-panel-title";
    heading.textContent = T.panel;
    list = document.createElement("ul");
    list.className = "offline-list";
    panel.appendChild(heading);
    panel.appendChild(list);
    var main = document.querySelector("main");
    if (main) { main.insertBefore(panel, main.firstChild); } else { document.body.appendChild(panel); }
    panel.addEventListener("click", onPanelClick);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function button(action, value, text) {
    var node = el("button", "link-button offline-action", text);
    node.type = "button";
    node.setAttribute("data-action", action);
    node.setAttribute("data-value", String(value));
    return node;
  }

  function when(time) {
    try { return new Date(time).toLocaleString(lang, { dateStyle: "short", timeStyle: "short" }); } catch (error) {
      return new Date(time).toLocaleString();
    }
  }

  function drawEntry(entry) {
    var state = sendingIds[entry.id] ? "sending" : entry.status;
    var item = el("li", "offline-item offline-" + state);
    item.appendChild(el("strong", "", entry.title || T.report));
    item.appendChild(document.createTextNode(" · " + T.savedAt + when(entry.created)));
    item.appendChild(el("span", "offline-state", state === "sending" ? T.sendingItem : state === "review" ? T.review : T.waiting));
    if (state === "review") {
      if (entry.errors && entry.errors.length) {
        var errors = el("ul", "offline-errors");
        entry.errors.forEach(function (text) { errors.appendChild(el("li", "", text)); });
        item.appendChild(errors);
      }
      item.appendChild(button("retry", entry.id, T.retry));
      item.appendChild(button("discard", entry.id, T.discard));
    }
    return item;
  }

  function drawSent(record) {
    var item = el("li", "offline-item offline-sent");
    var state = el("span", "offline-state", T.sent);
    var folio = el("a", "", record.folio);
    folio.href = record.done;
    state.appendChild(folio);
    item.appendChild(state);
    if (record.tracking) {
      var track = el("a", "offline-track", T.track);
      track.href = record.tracking;
      item.appendChild(track);
    }
    item.appendChild(button("dismiss", record.key, T.dismiss));
    return item;
  }

  function draw(entries, sent) {
    var shown = entries.filter(function (entry) { return !directIds[entry.id]; });
    var fresh = sent.filter(function (record) { return !record.dismissed; });
    // Redraw only on a change, so screen readers do not hear the same list every 30 seconds.
    var signature = JSON.stringify([shown.map(function (entry) {
      return [entry.id, sendingIds[entry.id] ? "sending" : entry.status, entry.errors];
    }), fresh.map(function (record) { return record.key; })]);
    if (signature === drawn) { return; }
    drawn = signature;
    if (!panel) { buildPanel(); }
    list.textContent = "";
    shown.forEach(function (entry) { list.appendChild(drawEntry(entry)); });
    fresh.forEach(function (record) { list.appendChild(drawSent(record)); });
    panel.hidden = !(shown.length || fresh.length);
  }

  function onPanelClick(event) {
    var target = event.target.closest("[data-action]");
    if (!target) { return; }
    var action = target.getAttribute("data-action");
    var value = target.getAttribute("data-value");
    if (action === "retry") {
      update(Number(value), { status: "queued", errors: [] }).then(changed).then(replayAll);
    } else if (action === "discard") {
      if (window.confirm(T.confirmDiscard)) { remove("outbox", Number(value)).then(changed); }
    } else if (action === "dismiss") {
      run("sent", "readwrite", function (tx) {
        var sent = tx.objectStore("sent");
        var request = sent.get(value);
        request.onsuccess = function () {
          if (request.result) { request.result.dismissed = true; sent.put(request.result); }
        };
      }).then(changed);
    }
  }

  var timer = null;
  function refresh() {
    return Promise.all([all("outbox"), all("sent")]).then(function (stores) {
      draw(stores[0], stores[1]);
      var waiting = stores[0].some(function (entry) { return entry.status !== "review"; });
      if (waiting && !timer) {
        timer = setInterval(replayAll, RETRY_MS);
      } else if (!waiting && timer) {
        clearInterval(timer);
        timer = null;
      }
    })["catch"](noop);
  }

  function forgetOldSent() {
    var limit = Date.now() - SENT_KEPT_MS;
    return run("sent", "readwrite", function (tx) {
      var sent = tx.objectStore("sent");
      var request = sent.getAll();
      request.onsuccess = function () {
        request.result.forEach(function (record) { if (record.sentAt < limit) { sent["delete"](record.key); } });
      };
    })["catch"](noop);
  }

  window.addEventListener("online", replayAll);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
  if (channel) { channel.onmessage = function () { refresh(); }; }

  forgetOldSent().then(refresh).then(replayAll);

  // ---- The service worker. ----
  function register() {
    if (!swUrl || !("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(swUrl, { scope: "/" })["catch"](noop);
    navigator.serviceWorker.ready.then(function (registration) {
      // Refill the kept pages if a logout emptied them.
      if (registration.active) { registration.active.postMessage({ type: "cooperanet:warm" }); }
    });
  }
  if (document.readyState === "complete") { register(); } else { window.addEventListener("load", register); }

  // For the browser tests and for support staff checking a phone from the console.
  window.CooperaNetOfflineQueue = {
    replayAll: replayAll,
    entries: function () { return all("outbox"); },
    sent: function () { return all("sent"); }
  };
})();
