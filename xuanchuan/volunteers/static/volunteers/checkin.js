// The organiser's check-in screen: counts the seconds down, and fetches the state (QR code, code,
// counts, who is in) every few seconds and right at each change of the code. Reads its settings
// from its own <script> tag's data attributes (no inline script under the CSP).
(function () {
  "use strict";
  var me = document.currentScript;
  var stateUrl = me.dataset.stateUrl;
  var emptyText = me.dataset.msgEmpty || "";
  var offlineText = me.dataset.msgOffline || "";
  var REFRESH = 5;
  var left = parseInt(document.getElementById("seconds-left").textContent, 10) || 1;
  var sinceFetch = 0;
  var busy = false;

  function el(id) { return document.getElementById(id); }

  function render(state) {
    if (state.closed) { window.location.reload(); return; }
    var qr = el("qr");
    if (qr.dataset.url !== state.url) {
      qr.innerHTML = state.svg;  // Our own server's SVG of our own URL.
      qr.dataset.url = state.url;
    }
    el("code").textContent = state.code;
    left = state.seconds_left;
    el("seconds-left").textContent = left;
    el("count-signed-up").textContent = state.counts.signed_up;
    el("count-checked-in").textContent = state.counts.checked_in;
    el("count-checked-out").textContent = state.counts.checked_out;
    var list = el("present");
    list.textContent = "";
    if (!state.present.length) {
      var none = document.createElement("li");
      none.className = "list-group-item py-1 text-secondary";
      none.textContent = emptyText;
      list.appendChild(none);
    }
    state.present.forEach(function (row) {
      var li = document.createElement("li");
      li.className = "list-group-item py-1 d-flex justify-content-between";
      var who = document.createElement("span");
      who.textContent = row.number + " " + row.name;
      var at = document.createElement("span");
      at.className = "text-secondary";
      at.textContent = row.at;
      li.appendChild(who);
      li.appendChild(at);
      list.appendChild(li);
    });
    el("code").classList.remove("text-secondary");
  }

  function refresh() {
    if (busy) { return; }
    busy = true;
    sinceFetch = 0;
    fetch(stateUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(render)
      .catch(function () { el("code").classList.add("text-secondary"); el("code").title = offlineText; })
      .then(function () { busy = false; });
  }

  setInterval(function () {
    left -= 1;
    sinceFetch += 1;
    if (left <= 0) { left = 0; refresh(); }
    el("seconds-left").textContent = Math.max(left, 0);
    if (sinceFetch >= REFRESH) { refresh(); }
  }, 1000);

  var full = el("fullscreen");
  if (full) {
    full.addEventListener("click", function () {
      var box = el("checkin-screen");
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (box.requestFullscreen) { box.requestFullscreen(); }
    });
  }
})();
