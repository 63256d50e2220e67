/* Export job page: polls the job's small JSON status and shows the progress and the download link. */
(function () {
  "use strict";

  var box = document.querySelector("[data-export-status]");
  if (!box) {
    return;
  }
  var progress = document.getElementById("export-progress");
  var status = document.getElementById("export-status");
  var error = document.getElementById("export-error");
  var download = document.getElementById("export-download");

  function show(data) {
    progress.value = data.percent;
    progress.textContent = data.percent + " %";
    status.textContent = data.status_label + " · " + data.done + " / " + data.total;
    if (data.error) {
      error.textContent = data.error;
      error.hidden = false;
    }
    if (data.download_url) {
      download.querySelector("a").href = data.download_url;
      download.hidden = false;
    }
    return data.status === "queued" || data.status === "running";
  }

  function poll() {
    fetch(box.dataset.exportStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (show(data)) {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (download.hidden && error.hidden) {
    poll();
  }
})();
