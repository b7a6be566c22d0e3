/* The classroom's resumable upload (theory:item_upload): the chosen file is sent in chunks, each
   at the server's offset; a chunk that fails is retried, a 409 tells where the server is, and the
   upload id is kept in localStorage so that choosing the same file after a reload continues from
   the server's offset. Progress shows percent and speed. No inline script (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("upload-box");
  if (!box) return;
  var texts = document.getElementById("upload-texts").dataset;
  var input = document.getElementById("upload-file");
  var go = document.getElementById("upload-go");
  var pause = document.getElementById("upload-pause");
  var cancel = document.getElementById("upload-cancel");
  var progress = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var statusLine = document.getElementById("upload-status");
  var errorBox = document.getElementById("upload-error");
  var next = document.getElementById("upload-next");
  var maxBytes = parseInt(box.dataset.maxMb, 10) * 1024 * 1024;
  var MAX_RETRIES = 6;
  var state = null;
  var paused = false;
  var running = false;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function storageKey(file) {
    return "theory-upload:" + file.name + ":" + file.size + ":" + file.lastModified;
  }

  function remember(file, value) {
    try {
      if (value) localStorage.setItem(storageKey(file), JSON.stringify(value));
      else localStorage.removeItem(storageKey(file));
    } catch (e) { /* private mode: no resume after reload */ }
  }

  function recalled(file) {
    try {
      return JSON.parse(localStorage.getItem(storageKey(file)) || "null");
    } catch (e) {
      return null;
    }
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function humanBytes(n) {
    if (n >= 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + " MB";
    return Math.max(1, Math.round(n / 1024)) + " KB";
  }

  function show(received, size, started, sentThisRun, note) {
    var percent = size ? Math.floor((received / size) * 100) : 0;
    progress.hidden = false;
    progress.setAttribute("aria-valuenow", String(percent));
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    var seconds = (Date.now() - started) / 1000;
    var speed = seconds > 0.2 ? sentThisRun / seconds : 0;
    var line = (note || texts.uploading) + " " + humanBytes(received) + " / " + humanBytes(size);
    if (speed > 0) line += " · " + humanBytes(speed) + "/s";
    statusLine.textContent = line;
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  async function json(response) {
    try {
      return await response.json();
    } catch (e) {
      return {};
    }
  }

  async function begin(file) {
    var saved = recalled(file);
    if (saved && saved.url) {
      var response = await fetch(saved.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        var known = await json(response);
        if (known.size === file.size) return { state: known, resumed: true };
      }
      remember(file, null);
    }
    var started = await fetch(box.dataset.startUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({ filename: file.name, size: file.size, type: file.type || "" }),
    });
    var body = await json(started);
    if (started.status !== 201) throw new Error(body.error || texts.failed);
    remember(file, { url: body.url, id: body.id });
    return { state: body, resumed: false };
  }

  function finish(file, done) {
    remember(file, null);
    running = false;
    pause.hidden = true;
    cancel.hidden = true;
    bar.classList.remove("progress-bar-striped");
    bar.classList.add("bg-success");
    statusLine.textContent = texts.done;
    next.href = done.next;
    next.hidden = false;
    // The list of unfinished uploads was drawn before this one finished.
    var stale = document.querySelector('[data-upload-id="' + done.id + '"]');
    if (stale) stale.remove();
    var box = document.getElementById("unfinished-box");
    if (box && !box.querySelector("[data-upload-id]")) box.hidden = true;
  }

  async function send(file) {
    running = true;
    paused = false;
    errorBox.hidden = true;
    next.hidden = true;
    go.disabled = true;
    var begun;
    try {
      begun = await begin(file);
    } catch (e) {
      running = false;
      go.disabled = false;
      showError(e.message || texts.failed);
      return;
    }
    state = begun.state;
    pause.hidden = false;
    cancel.hidden = false;
    var offset = state.received;
    var started = Date.now();
    var sent = 0;
    show(offset, file.size, started, 0, begun.resumed ? texts.resume : texts.uploading);
    if (state.done) return finish(file, state);
    var retries = 0;
    while (offset < file.size) {
      if (paused) {
        running = false;
        statusLine.textContent = texts.paused + " " + Math.floor((offset / file.size) * 100) + "%";
        return;
      }
      var chunk = file.slice(offset, Math.min(offset + state.chunk_bytes, file.size));
      var response = null;
      try {
        response = await fetch(state.url + "?offset=" + offset, {
          method: "PUT",
          credentials: "same-origin",
          headers: { "Content-Type": "application/octet-stream", "X-CSRFToken": csrfToken(), Accept: "application/json" },
          body: chunk,
        });
      } catch (e) {
        response = null;
      }
      if (response && response.ok) {
        var now = await json(response);
        sent += now.received - offset;
        offset = now.received;
        retries = 0;
        show(offset, file.size, started, sent);
        if (now.done) return finish(file, now);
        continue;
      }
      if (response && response.status === 409) {
        // The server is elsewhere (a lost reply, another tab): go on from its offset.
        var where = await json(response);
        offset = where.received;
        continue;
      }
      if (response && response.status >= 400 && response.status < 500) {
        var refused = await json(response);
        running = false;
        go.disabled = false;
        pause.hidden = true;
        if (refused.gone || response.status === 404) {
          remember(file, null);
          cancel.hidden = true;
          progress.hidden = true;
          statusLine.textContent = "";
        }
        showError(refused.error || texts.failed);
        return;
      }
      retries += 1;
      if (retries > MAX_RETRIES) {
        running = false;
        go.disabled = false;
        showError(texts.failed);
        return;
      }
      statusLine.textContent = texts.retry + " (" + retries + "/" + MAX_RETRIES + ")";
      await sleep(Math.min(1000 * Math.pow(2, retries - 1), 15000));
      // Ask where the server is before sending again.
      try {
        var check = await fetch(state.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (check.ok) offset = (await json(check)).received;
      } catch (e) { /* still offline: retry the same chunk */ }
    }
  }

  input.addEventListener("change", function () {
    errorBox.hidden = true;
    next.hidden = true;
    var file = input.files[0];
    go.disabled = !file;
    if (file && file.size > maxBytes) {
      showError(texts.tooLarge);
      go.disabled = true;
    }
  });
  go.addEventListener("click", function () {
    var file = input.files[0];
    if (file && !running) send(file);
  });
  pause.addEventListener("click", function () {
    var file = input.files[0];
    if (running) {
      paused = true;
      pause.textContent = texts.continue;
    } else if (file) {
      pause.textContent = pause.dataset.label || pause.textContent;
      send(file);
    }
  });
  pause.dataset.label = pause.textContent;
  cancel.addEventListener("click", async function () {
    var file = input.files[0];
    paused = true;
    if (state && state.url) {
      await fetch(state.url, { method: "DELETE", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } });
    }
    if (file) remember(file, null);
    state = null;
    running = false;
    go.disabled = !file;
    pause.hidden = true;
    cancel.hidden = true;
    progress.hidden = true;
    statusLine.textContent = texts.cancelled;
  });
})();
