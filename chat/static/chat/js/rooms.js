/* Room list: "use my location" finds the neighbourhood room (the position goes only to our server). */
(function () {
  "use strict";
  var form = document.getElementById("chat-locate");
  var button = document.getElementById("chat-locate-button");
  var status = document.getElementById("chat-locate-status");
  if (!form || !button || !navigator.geolocation) { return; }
  button.hidden = false;
  form.addEventListener("submit", function (event) {
    if (form.elements.lat.value) { return; }
    event.preventDefault();
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.lat.value = position.coords.latitude.toFixed(6);
      form.elements.lon.value = position.coords.longitude.toFixed(6);
      form.submit();
    }, function () {
      status.textContent = button.getAttribute("data-denied") || "";
    }, { timeout: 15000, maximumAge: 600000 });
  });
})();
