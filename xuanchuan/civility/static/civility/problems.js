// Recording a problem on a poor connection (civility/problems/new.html).
// - The form's text is kept in localStorage while typing and restored on the next visit.
// - "提交" puts the report (fields and photos) in a queue in IndexedDB (memory if unavailable)
//   and sends it; a failed send (no network, server error) stays queued and is retried when the
//   browser is online again and every few seconds. Each report carries its own client_key
//   (uuid4), so a report sent twice is stored once by the server.
// - Without this script the form is a plain multipart form.
(function () {
  "use strict";
  var form = document.getElementById("problem-form");
  if (!form || !window.fetch || !window.FormData) return;
  var script = document.currentScript;
  var msg = function (name) { return script.getAttribute("data-msg-" + name) || ""; };
  var DRAFT = "civility-problem-draft";
  var STORE = "reports";
  var RETRY_MS = 3000;
  var statusBox = document.getElementById("queue-status");
  var sentList = document.getElementById("queue-sent");
  var errorBox = document.getElementById("queue-errors");
  var keyField = form.querySelector("input[name=client_key]");
  var url = form.getAttribute("data-queue-url");
  var sending = false;
  var memory = [];

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ---- the queue (IndexedDB, or memory) ----
  var dbPromise = new Promise(function (resolve) {
    if (!window.indexedDB) return resolve(null);
    var req;
    try { req = indexedDB.open("civility-problems", 1); } catch (e) { return resolve(null); }
    req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { resolve(null); };
  });
  function tx(mode, work) {
    return dbPromise.then(function (db) {
      if (!db) return work(null);
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function queuePut(entry) {
    return tx("readwrite", function (s) {
      if (!s) { memory.push(entry); return null; }
      return s.put(entry);
    }).catch(function () { memory.push(entry); });
  }
  function queueAll() {
    return tx("readonly", function (s) { return s ? s.getAll() : null; }).then(function (rows) {
      return (rows || []).concat(memory);
    });
  }
  function queueDelete(key) {
    memory = memory.filter(function (e) { return e.key !== key; });
    return tx("readwrite", function (s) { return s ? s.delete(key) : null; });
  }

  // ---- the draft (text fields) ----
  function textFields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" && el.type !== "button";
    });
  }
  function saveDraft() {
    var data = {};
    textFields().forEach(function (el) { data[el.name] = el.type === "checkbox" ? el.checked : el.value; });
    try { localStorage.setItem(DRAFT, JSON.stringify(data)); } catch (e) { /* full or disabled */ }
  }
  function fill(data) {
    textFields().forEach(function (el) {
      if (!(el.name in data)) return;
      if (el.type === "checkbox") el.checked = !!data[el.name]; else el.value = data[el.name];
    });
  }
  function restoreDraft() {
    var raw = null;
    try { raw = localStorage.getItem(DRAFT); } catch (e) { return; }
    if (!raw) return;
    try { fill(JSON.parse(raw)); } catch (e) { /* ignore a broken draft */ }
  }
  function clearForm() {
    try { localStorage.removeItem(DRAFT); } catch (e) { /* ignore */ }
    textFields().forEach(function (el) {
      if (el.type === "checkbox") el.checked = false; else if (el.type !== "hidden") el.value = "";
    });
    form.querySelectorAll("input[type=file]").forEach(function (el) { el.value = ""; });
    keyField.value = uuid4();
  }

  // ---- sending ----
  function show(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "alert py-2 small alert-" + (kind || "info") + (text ? "" : " d-none");
  }
  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
    var general = [];
    Object.keys(errors || {}).forEach(function (name) {
      var slot = form.querySelector('[data-error-for="' + name + '"]');
      if (slot) slot.textContent = errors[name].join(" "); else general.push(errors[name].join(" "));
    });
    errorBox.textContent = general.join(" ");
    errorBox.classList.toggle("d-none", !general.length);
  }
  function countQueued() {
    return queueAll().then(function (rows) {
      if (rows.length) show(msg("queued").replace("%(n)s", rows.length), "warning");
      return rows.length;
    });
  }
  function csrf() {
    var el = form.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }
  function sendOne(entry) {
    var body = new FormData();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    entry.files.forEach(function (f) { body.append("photos", f.blob, f.name); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Civility-Queue": "1", "X-CSRFToken": csrf(), "Accept": "application/json" },
    }).then(function (response) {
      if (response.status === 201 || response.status === 200) {
        return response.json().then(function (data) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = data.url; a.textContent = data.public_id;
          li.textContent = msg("sent"); li.appendChild(a);
          li.className = "text-success sent-report";
          sentList.appendChild(li);
          return queueDelete(entry.key);
        });
      }
      if (response.status === 400) {
        // A refusal (bad input): give it back to the form to correct, not to the queue.
        return response.json().then(function (data) {
          return queueDelete(entry.key).then(function () {
            var back = {};
            entry.fields.forEach(function (pair) { back[pair[0]] = pair[1]; });
            fill(back);
            saveDraft();
            showErrors(data.errors);
            show(msg("failed"), "danger");
          });
        });
      }
      if (response.status === 403 || response.redirected) {
        show(msg("denied"), "danger");
        throw new Error("denied");
      }
      throw new Error("server " + response.status);
    });
  }
  function flush() {
    if (sending) return Promise.resolve();
    sending = true;
    return queueAll().then(function (rows) {
      var chain = Promise.resolve();
      rows.forEach(function (entry) { chain = chain.then(function () { return sendOne(entry); }); });
      return chain;
    }).catch(function () { /* stays queued: retried later */ }).then(function () {
      sending = false;
      return countQueued().then(function (n) { if (!n && statusBox.className.indexOf("warning") >= 0) show(""); });
    });
  }

  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showErrors({});
    var fields = [];
    var files = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File) { if (value.size) files.push({ name: value.name, blob: value }); } else fields.push([name, value]);
    });
    var entry = { key: keyField.value || uuid4(), fields: fields, files: files, at: Date.now() };
    queuePut(entry).then(function () {
      clearForm();
      show(msg("sending"));
      return flush();
    });
  });
  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine !== false) flush(); }, RETRY_MS);

  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.classList.remove("d-none");
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
        saveDraft();
      });
    });
  }

  restoreDraft();
  if (!keyField.value) keyField.value = uuid4();
  countQueued().then(function (n) { if (n) flush(); });
})();
