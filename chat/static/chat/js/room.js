/* Chat room: live socket, pending messages until acknowledged, reconnect with backoff and resync.

Nothing acknowledged is lost: after every (re)connection the page asks the server for the messages after
the last one it shows (?after=<id>), inserts them in id order, then for what changed since its last sync
(?changed_since=<synced_at>: edits, deletions, hides, restores) and applies it, then resends what was
never acknowledged with the same client id (the server answers a repeat with the first message's id).
Text is always put in the page with textContent, never as HTML.
*/
(function () {
  "use strict";
  var configElement = document.getElementById("chat-config");
  var list = document.getElementById("chat-messages");
  if (!configElement || !list || !window.WebSocket || !window.fetch) { return; }
  var config = JSON.parse(configElement.textContent);
  var texts = config.texts;
  var form = document.getElementById("chat-form");
  var textarea = form.querySelector("textarea");
  var errorBox = document.getElementById("chat-error");
  var statusBox = document.getElementById("chat-status");
  var presence = document.getElementById("chat-presence");
  var presenceCount = document.getElementById("chat-presence-count");
  var storageKey = "chat-pending-" + config.roomId + "-" + config.userId;

  var lastId = config.lastId;
  var syncedAt = config.syncedAt;  // server clock (ms) of the last sync; the server adds an overlap
  var pending = [];  // {clientId, body, element}, oldest first
  var socket = null;
  var delay = 1000;
  var closedForGood = false;
  var readSent = 0;

  // -- helpers --------------------------------------------------------------------------------------
  function newClientId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function formatTime(iso) {
    var date = new Date(iso);
    return isNaN(date) ? "" : date.toLocaleString(document.documentElement.lang || "es",
      { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function showError(text) { errorBox.textContent = text || ""; }
  function setStatus(text) { statusBox.textContent = text; }
  function savePending() {
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(pending.map(function (p) {
        return { clientId: p.clientId, body: p.body };
      })));
    } catch (e) { /* private mode: pending messages live only in this page */ }
  }
  function removeEmptyNote() {
    var empty = document.getElementById("chat-empty");
    if (empty) { empty.remove(); }
  }

  // -- rendering ------------------------------------------------------------------------------------
  function csrfInput() {
    var input = element("input");
    input.type = "hidden"; input.name = "csrfmiddlewaretoken";
    input.value = form.querySelector("[name=csrfmiddlewaretoken]").value;
    return input;
  }

  function postButton(url, label, className) {
    var target = element("form", "inline");
    target.method = "post";
    target.action = url;
    var button = element("button", className || "link-button", label);
    button.type = "submit";
    target.append(csrfInput(), button);
    return target;
  }

  function actionsFor(message, li) {
    var actions = element("p", "chat-actions");
    if (message.author_id === config.userId) {
      var edit = element("button", "link-button", texts.edit || "Editar");
      edit.type = "button"; edit.setAttribute("data-action", "edit");
      var del = element("button", "link-button", texts.delete || "Borrar");
      del.type = "button"; del.setAttribute("data-action", "delete");
      actions.append(edit, " ", del);
    } else {
      if (!message.hidden && !config.coordination) {
        var report = element("a", "", texts.report);
        report.href = config.reportUrl.replace("/0/", "/" + message.id + "/");
        actions.append(report, " ");
      }
      if (config.moderator) {
        var moderate = element("a", "", texts.moderate);
        moderate.href = config.moderateUrl.replace("/0/", "/" + message.id + "/");
        actions.append(moderate);
      }
    }
    if (!message.hidden && !config.coordination) {
      actions.append(" ", postButton(config.toReportUrl.replace("/0/", "/" + message.id + "/"), texts.toReport));
    }
    li.append(actions);
  }

  function render(message) {
    var li = element("li", "chat-message");
    if (message.author_id === config.userId) { li.classList.add("chat-mine"); }
    li.id = "m-" + message.id;
    li.setAttribute("data-id", message.id);
    var meta = element("p", "chat-meta");
    var time = element("time", "", formatTime(message.created_at));
    time.setAttribute("datetime", message.created_at);
    var edited = element("span", "chat-edited", "(" + texts.edited + ")");
    edited.hidden = !message.edited;
    meta.append(element("strong", "chat-author", message.author), " ", time, " ", edited);
    li.append(meta, element("p", "chat-body", message.body));
    if (message.photos && message.photos.length) {
      var photos = element("p", "chat-photos");
      message.photos.forEach(function (photo, index) {
        var link = element("a");
        link.href = photo.url;
        var img = element("img");
        img.src = photo.thumbnail;
        img.alt = texts.photoAlt.replace("%(number)s", index + 1);
        img.loading = "lazy";
        img.width = 160;
        link.append(img);
        photos.append(link);
      });
      li.append(photos);
    }
    if (message.location) { li.append(element("p", "chat-location", texts.withLocation)); }
    if (message.hidden) {
      li.classList.add("chat-hidden");
      li.append(element("p", "chat-hidden-note", texts.hiddenForYou + ": " + (message.hidden_reason || "")));
    }
    actionsFor(message, li);
    return li;
  }

  function pendingIndex(clientId) {
    for (var i = 0; i < pending.length; i++) { if (pending[i].clientId === clientId) { return i; } }
    return -1;
  }

  function insert(message) {
    // A message already shown (from the page, the socket or a resync) is never shown twice.
    if (document.getElementById("m-" + message.id)) { return; }
    removeEmptyNote();
    var li = render(message);
    var index = message.client_id ? pendingIndex(message.client_id) : -1;
    if (index >= 0) {
      pending[index].element.replaceWith(li);
      pending.splice(index, 1);
      savePending();
    } else {
      // Keep id order; pending messages (no id yet) stay at the bottom.
      var before = null;
      var items = list.children;
      for (var i = items.length - 1; i >= 0; i--) {
        var id = parseInt(items[i].getAttribute("data-id") || "0", 10);
        if (id && id < message.id) { break; }
        before = items[i];
      }
      list.insertBefore(li, before);
    }
    lastId = Math.max(lastId, message.id);
    markRead();
  }

  function addPending(clientId, body) {
    removeEmptyNote();
    var li = element("li", "chat-message chat-mine chat-pending");
    var meta = element("p", "chat-meta");
    meta.append(element("span", "chat-sending", texts.sending));
    li.append(meta, element("p", "chat-body", body));
    list.append(li);
    pending.push({ clientId: clientId, body: body, element: li });
    savePending();
    li.scrollIntoView({ block: "end" });
  }

  function acknowledged(clientId, id) {
    var index = pendingIndex(clientId);
    if (index < 0) { return; }
    var item = pending.splice(index, 1)[0];
    savePending();
    if (document.getElementById("m-" + id)) { item.element.remove(); return; }
    item.element.classList.remove("chat-pending");
    item.element.id = "m-" + id;
    item.element.setAttribute("data-id", id);
    var sending = item.element.querySelector(".chat-sending");
    if (sending) { sending.textContent = ""; }
    lastId = Math.max(lastId, id);
  }

  function failed(clientId, code) {
    var index = pendingIndex(clientId);
    if (index < 0) { return; }
    var item = pending.splice(index, 1)[0];
    savePending();
    item.element.classList.add("chat-failed");
    var sending = item.element.querySelector(".chat-sending");
    if (sending) { sending.textContent = texts.failed; }
    if (code === "rate_limited") {
      // Not lost: back in the box, to send again in a moment.
      textarea.value = item.body;
      item.element.remove();
    }
  }

  function markRead() {
    if (lastId > readSent && document.visibilityState === "visible" && socket && socket.readyState === 1) {
      readSent = lastId;
      socket.send(JSON.stringify({ type: "read", id: lastId }));
    }
  }

  // -- socket ---------------------------------------------------------------------------------------
  var handlers = {
    ack: function (frame) { acknowledged(frame.client_id, frame.id); },
    message: insert,
    "message.edited": function (frame) {
      var li = document.getElementById("m-" + frame.id);
      if (!li) { return; }
      li.querySelector(".chat-body").textContent = frame.body;
      li.querySelector(".chat-edited").hidden = false;
    },
    "message.deleted": function (frame) {
      var li = document.getElementById("m-" + frame.id);
      if (li) { li.remove(); }
    },
    "message.hidden": function (frame) {
      var li = document.getElementById("m-" + frame.id);
      if (!li) { return; }
      if (config.moderator && frame.reason !== undefined) {
        setHidden(li, true, frame.reason);
      } else {
        li.remove();
      }
    },
    "message.restored": function (frame) { applyChange(frame); },
    presence: function (frame) {
      presence.hidden = false;
      presenceCount.textContent = frame.count;
    },
    muted: function (frame) {
      showError(texts.errors.muted);
    },
    unmuted: function () {
      showError("");
      var notice = document.getElementById("chat-muted");
      if (notice) { notice.remove(); }
      setStatus(texts.unmuted);
    },
    error: function (frame) {
      showError(frame.detail || texts.errors[frame.code] || frame.code);
      if (frame.client_id) { failed(frame.client_id, frame.code); }
    },
    alert: function (frame) {
      var box = document.getElementById("chat-alerts");
      if (!box || document.getElementById("alert-" + frame.id)) { return; }
      var li = element("li", "chat-alert chat-alert-" + frame.kind);
      li.id = "alert-" + frame.id;
      li.setAttribute("role", "alert");  // read out at once: this is an emergency notice
      var kind = element("p", "chat-alert-kind");
      kind.append(element("strong", "", texts.alert + ": " + frame.kind_label));
      li.append(kind, element("p", "chat-alert-title", frame.title));
      if (frame.body) { li.append(element("p", "chat-alert-body", frame.body)); }
      var answers = element("form", "chat-alert-answers");
      answers.method = "post";
      answers.action = config.alertAnswerUrl.replace("/0/", "/" + frame.id + "/");
      answers.append(csrfInput());
      config.answers.forEach(function (pair) {
        var button = element("button", "big-button" + (pair[0] === "need_help" ? " danger" : ""), pair[1]);
        button.type = "submit"; button.name = "answer"; button.value = pair[0];
        answers.append(button, " ");
      });
      li.append(answers);
      if (config.moderator) {
        var link = element("a", "", texts.rollCall);
        link.href = config.rollCallUrl.replace("/0/", "/" + frame.id + "/");
        var p = element("p");
        p.append(link);
        li.append(p);
      }
      box.prepend(li);
    },
    incident: function (frame) {
      var box = document.getElementById("chat-incidents");
      if (!box || document.getElementById("incident-" + frame.folio)) { return; }
      var li = element("li", "chat-incident");
      li.id = "incident-" + frame.folio;
      var head = element("p", "chat-incident-head");
      head.append(element("strong", "", frame.folio), " · " + frame.category);
      var state = element("p");
      state.append(texts.status + ": ", element("strong", "status status-" + frame.status + " chat-incident-status",
        frame.status_label), " · ", element("span", "chat-incident-supporters", String(frame.supporters_count)),
        " " + texts.affected);
      var actions = element("p", "chat-incident-actions");
      var link = element("a", "", texts.seeReport);
      link.href = frame.url;
      actions.append(link, " ", postButton(config.supportUrl.replace("/0/", "/" + frame.shared_id + "/"),
        texts.affectsMe, "big-button"));
      li.append(head, state, actions);
      box.prepend(li);
    },
    incident_status: function (frame) {
      var card = document.getElementById("incident-" + frame.folio);
      if (!card) { return; }
      var status = card.querySelector(".chat-incident-status");
      status.textContent = frame.status_label;
      status.className = "status status-" + frame.status + " chat-incident-status";
    },
    pong: function () {}
  };

  function setHidden(li, hidden, reason) {
    var note = li.querySelector(".chat-hidden-note");
    li.classList.toggle("chat-hidden", hidden);
    if (!hidden && note) { note.remove(); }
    if (hidden && !note) { li.querySelector(".chat-body").after(element("p", "chat-hidden-note", texts.hiddenForYou + ": " + (reason || ""))); }
  }

  // One change from the server (resync or a restored message): the latest state of that message wins.
  function applyChange(item) {
    var li = document.getElementById("m-" + item.id);
    if (item.deleted || (item.hidden && !config.moderator)) {
      if (li) { li.remove(); }
      return;
    }
    if (!li) {
      // Shown again (restored) or never seen: insert it, unless it is older than the page's first message
      // while older ones are still unloaded (it will come with "Ver mensajes anteriores").
      var first = list.querySelector("li[data-id]");
      var older = document.getElementById("chat-older");
      if (!first || !older || item.id > parseInt(first.getAttribute("data-id"), 10)) { insert(item); }
      return;
    }
    li.querySelector(".chat-body").textContent = item.body;
    li.querySelector(".chat-edited").hidden = !item.edited;
    if (config.moderator) { setHidden(li, !!item.hidden, item.hidden_reason); }
  }

  function fetchChanges() {
    return fetch(config.historyUrl + "?changed_since=" + syncedAt, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("changes " + response.status); }
        return response.json();
      })
      .then(function (page) {
        // Too much changed while away: the page itself is the quickest full resync (pending messages
        // are kept in sessionStorage and go out again after the reload).
        if (!page.complete) { window.location.reload(); return; }
        page.changes.forEach(applyChange);
        syncedAt = page.synced_at;
      });
  }

  function fetchAfter(afterId) {
    return fetch(config.historyUrl + "?after=" + afterId, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("history " + response.status); }
        return response.json();
      })
      .then(function (page) {
        page.messages.forEach(insert);
        if (page.has_more && page.messages.length) { return fetchAfter(page.messages[page.messages.length - 1].id); }
      });
  }

  function resendPending() {
    pending.forEach(function (item) {
      socket.send(JSON.stringify({ type: "message.send", client_id: item.clientId, body: item.body }));
    });
  }

  function connect() {
    if (closedForGood) { return; }
    setStatus(texts.connecting);
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var current = new WebSocket(scheme + window.location.host + config.socketPath);
    socket = current;
    current.onopen = function () {
      delay = 1000;
      setStatus(texts.connected);
      // First what was missed (in order), then what this page still owes the server.
      fetchAfter(lastId).then(fetchChanges).catch(function () { /* the socket still delivers new messages */ })
        .then(function () { if (socket === current && current.readyState === 1) { resendPending(); markRead(); } });
    };
    current.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      var handler = handlers[frame.type];
      if (handler) { handler(frame); }
    };
    current.onclose = function (event) {
      if (socket !== current) { return; }
      // 4403: not (or no longer) a member, do not retry. Anything else (4503 when the server's channel
      // layer failed, 1006 for a network cut…) is retried with backoff, then resynced on open.
      if (event.code === config.closeNotMember) {
        closedForGood = true;
        setStatus(texts.closed);
        form.querySelector("button[type=submit]").disabled = true;
        textarea.disabled = true;
        return;
      }
      setStatus(texts.reconnecting);
      // Exponential backoff with jitter, so a restarted server is not hit by everyone at once.
      setTimeout(connect, delay + Math.floor(Math.random() * 500));
      delay = Math.min(delay * 2, 30000);
    };
  }

  // -- page -----------------------------------------------------------------------------------------
  if (config.readOnly) { form.hidden = true; }
  var photoInput = document.getElementById("chat-photos");
  var latitude = document.getElementById("chat-latitude");
  var longitude = document.getElementById("chat-longitude");
  var locate = document.getElementById("chat-locate");
  var locationNote = document.getElementById("chat-location-note");

  function clearLocation() {
    latitude.value = longitude.value = "";
    locationNote.textContent = "";
    locate.textContent = texts.addLocation;
  }
  function clearAttachments() {
    photoInput.value = "";
    clearLocation();
  }

  // Photos and a location go over HTTP (a socket frame holds at most 16 KB); the server stores the
  // message, then everyone (this page too) receives it over the socket.
  function sendWithAttachments(body) {
    var data = new FormData(form);
    data.set("body", body);
    data.set("client_id", newClientId());
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    setStatus(texts.sending);
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      if (!result.ok) { showError(result.answer.detail || texts.failed); return; }
      insert(result.answer.message);
      textarea.value = "";
      clearAttachments();
    }, function () {
      showError(texts.photoOffline);
    }).then(function () {
      button.disabled = false;
      setStatus(socket && socket.readyState === 1 ? texts.connected : texts.reconnecting);
    });
  }

  if (navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      if (latitude.value) { clearLocation(); return; }
      locationNote.textContent = texts.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        locationNote.textContent = texts.locationAdded;
        locate.textContent = texts.removeLocation;
      }, function () {
        locationNote.textContent = texts.noLocation;
      }, { timeout: 15000, maximumAge: 60000 });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = textarea.value.trim();
    showError("");
    if (body.length > config.maxChars) { showError(texts.errors.too_long); return; }
    if ((photoInput.files && photoInput.files.length) || latitude.value) {
      sendWithAttachments(body);
      return;
    }
    if (!body) { return; }
    var clientId = newClientId();
    addPending(clientId, body);
    textarea.value = "";
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: "message.send", client_id: clientId, body: body }));
    }
    textarea.focus();
  });
  textarea.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter makes a new line (as in other chats); on phones the button sends.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button || !socket || socket.readyState !== 1) { return; }
    var li = button.closest("li[data-id]");
    var id = parseInt(li.getAttribute("data-id"), 10);
    if (button.getAttribute("data-action") === "edit") {
      var body = window.prompt(texts.edit || "Editar", li.querySelector(".chat-body").textContent);
      if (body !== null && body.trim()) {
        socket.send(JSON.stringify({ type: "message.edit", id: id, body: body.trim() }));
      }
    } else if (window.confirm(texts.confirmDelete)) {
      socket.send(JSON.stringify({ type: "message.delete", id: id }));
    }
  });
  list.querySelectorAll("button[data-action]").forEach(function (button) { button.hidden = false; });

  var older = document.getElementById("chat-older");
  if (older) {
    older.addEventListener("click", function () {
      var first = list.querySelector("li[data-id]");
      var beforeId = first ? first.getAttribute("data-id") : "";
      fetch(config.historyUrl + "?before=" + beforeId, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (page) {
          var anchor = list.firstChild;
          page.messages.forEach(function (message) {
            if (!document.getElementById("m-" + message.id)) { list.insertBefore(render(message), anchor); }
          });
          if (!page.has_more) { older.remove(); }
        });
    });
  }

  document.addEventListener("visibilitychange", markRead);
  // Keep idle connections alive through proxies.
  setInterval(function () { if (socket && socket.readyState === 1) { socket.send('{"type":"ping"}'); } }, 25000);

  // Messages typed before a reload that the server never acknowledged go out again (same client id).
  try {
    JSON.parse(window.sessionStorage.getItem(storageKey) || "[]").forEach(function (item) {
      addPending(item.clientId, item.body);
    });
  } catch (e) { /* nothing saved */ }
  var last = list.lastElementChild;
  if (last) { last.scrollIntoView({ block: "end" }); }
  connect();
})();
