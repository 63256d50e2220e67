// A participant's phone: listens for questions being opened or closed and reloads the page when the
// set of open questions changes. Answers are sent by the page's plain forms.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  if (!status || !window.WebSocket) return;
  var shown = status.dataset.questions;
  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + status.dataset.socket);
    socket.onopen = function () { delay = 1000; status.textContent = status.dataset.connected; };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type !== "questions") return;
      var ids = frame.questions.map(function (q) { return q.id; }).join(",");
      if (ids !== shown) window.location.reload();
    };
    socket.onclose = function (event) {
      status.textContent = status.dataset.offline;
      if (event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  connect();
})();
