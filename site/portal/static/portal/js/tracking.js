/* Tracking page: live status over the websocket, and "this affects me too". */
(function () {
  "use strict";
  var article = document.getElementById("incident");
  if (!article) { return; }
  var folio = article.getAttribute("data-folio");
  var secret = article.getAttribute("data-secret");
  var status = document.getElementById("incident-status");
  var delay = 1000;
  var everOpened = false;
  var failures = 0;

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + "/ws/incidents/" + encodeURIComponent(folio) + "/" +
      (secret ? "?s=" + encodeURIComponent(secret) : "");
    var socket = new WebSocket(url);
    socket.onopen = function () {
      delay = 1000; everOpened = true; failures = 0;
      article.setAttribute("data-live", "1");  // live updates on (tests and styles can rely on it)
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "incident_status" && data.folio === folio) {
        status.textContent = data.status_label;
        status.className = "status status-" + data.status;
      }
    };
    socket.onclose = function (event) {
      failures += 1;
      if (!everOpened && failures >= 3) { return; }  // refused handshake (not allowed): stop trying
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  if (window.WebSocket) { connect(); }

  var button = document.getElementById("support-button");
  if (button) {
    button.addEventListener("click", function () {
      var token = document.querySelector("[name=csrfmiddlewaretoken]");
      fetch(button.getAttribute("data-url"), {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" }
      }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (result) {
          if (result.ok && typeof result.body.supporters_count === "number") {
            document.getElementById("supporters-count").textContent = result.body.supporters_count;
          }
          button.disabled = true;
          document.getElementById("support-message").textContent = result.body.detail || "";
        });
    });
  }
})();
