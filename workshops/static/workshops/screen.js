// The projected results of one question: drawn from the page's JSON, then redrawn on every
// "results" frame of the trainer's socket. Text goes in with textContent only (never as HTML).
(function () {
  "use strict";
  var box = document.getElementById("results");
  var dataNode = document.getElementById("results-data");
  if (!box || !dataNode) return;
  var status = document.getElementById("results-status");
  var count = document.getElementById("answer-count");
  var questionId = Number(box.dataset.question);

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function draw(results) {
    box.replaceChildren();
    if (count) count.textContent = String(results.count);
    if (results.answers) {
      var list = el("ul", undefined, "text-answers");
      results.answers.slice().reverse().forEach(function (text) { list.appendChild(el("li", text)); });
      box.appendChild(list);
      return;
    }
    var items = results.items || [];
    var isRank = results.kind === "rank";
    var max = 1;
    items.forEach(function (item) { max = Math.max(max, isRank ? item.points : item.count); });
    var ol = el("ol", undefined, "result-items");
    items.forEach(function (item) {
      var value = isRank ? item.points : item.count;
      var li = el("li", undefined, "result-item");
      li.appendChild(el("span", item.label, "result-label"));
      var bar = el("progress");
      bar.max = max;
      bar.value = value;
      bar.setAttribute("aria-hidden", "true");
      li.appendChild(bar);
      var figure = isRank
        ? value + " " + box.dataset.pointsLabel + " · " + item.first + " " + box.dataset.firstLabel
        : value + " " + box.dataset.votesLabel;
      li.appendChild(el("span", figure, "result-figure"));
      ol.appendChild(li);
    });
    box.appendChild(ol);
  }

  draw(JSON.parse(dataNode.textContent));

  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + box.dataset.socket);
    socket.onopen = function () {
      delay = 1000;
      if (status) status.textContent = status.dataset.connected;
      // Answers stored while the socket was down: ask for the current results.
      socket.send(JSON.stringify({ type: "results.get", question: questionId }));
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "results" && frame.question === questionId) draw(frame.results);
    };
    socket.onclose = function (event) {
      if (status) status.textContent = status.dataset.offline;
      if (event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  connect();
})();
