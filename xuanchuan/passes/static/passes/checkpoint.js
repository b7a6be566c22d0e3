// The checkpoint page: verify a typed or pasted pass on the device (WebCrypto, published keys),
// then online with the server (revocation, the household's outing rule); record exits and
// entries, queued in localStorage while the network is down and sent when it returns. Each
// event carries an id made here, so a queue sent twice is recorded once. Verifications and events
// go with a checkpoint token (Authorization: Bearer, no cookies; passes/checkers.py), asked for
// with the session and renewed while the page is in use, so that the session's idle timeout
// still holds; without a token the calls go with the session.

import { Scanner, cameraAvailable } from "./scanner.js";
import { LABELS, verifyPass } from "./verify.js";

const root = document.getElementById("checkpoint");
const urls = JSON.parse(document.getElementById("checkpoint-urls").textContent);
const csrf = root.dataset.csrf;
const checkpointName = root.dataset.checkpoint || "";
const STORE = { keys: "xc.passes.keys", revocations: "xc.passes.revocations", queue: "xc.passes.queue" };
const STALE_MS = 24 * 60 * 60 * 1000;
const TOKEN_RENEW_MS = 10 * 60 * 1000;
// Refusals of an uploaded event that are not verdicts on the pass (services.checkpoint.BAD_TIME).
const EVENT_LABELS = { bad_time: "记录时间超出允许范围" };

const $ = (id) => document.getElementById(id);
let current = null; // { text, verdict }
let token = null; // the checkpoint token, in memory only
let usedSinceRenewal = false;

function load(name) {
  try { return JSON.parse(localStorage.getItem(name)); } catch (error) { return null; }
}
function save(name, value) { localStorage.setItem(name, JSON.stringify(value)); }
function queue() { return load(STORE.queue) || []; }

function age(ms) {
  if (!ms) return "从未下载";
  const minutes = Math.floor((Date.now() - ms) / 60000);
  if (minutes < 1) return "刚刚更新";
  if (minutes < 60) return `${minutes} 分钟前更新`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} 小时前更新`;
  return `${Math.floor(hours / 24)} 天前更新`;
}

function showStatus() {
  const keys = load(STORE.keys), revocations = load(STORE.revocations);
  const online = navigator.onLine;
  $("net-status").textContent = online ? "在线" : "离线";
  $("net-status").className = `badge ${online ? "text-bg-success" : "text-bg-secondary"}`;
  $("keys-age").textContent = keys ? `${age(keys.fetchedAt)}（${keys.data.keys.length} 个密钥）` : "从未下载";
  $("revocations-age").textContent = revocations ? `${age(revocations.fetchedAt)}（${revocations.data.count} 条）` : "从未下载";
  const stale = !keys || !revocations || Date.now() - keys.fetchedAt > STALE_MS || Date.now() - revocations.fetchedAt > STALE_MS;
  $("stale-warning").hidden = !stale;
  $("queue-count").textContent = String(queue().length);
}

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

async function renewToken() {
  try {
    token = (await getJson(urls.token)).token;
  } catch (error) {
    token = null; // offline, or the session has ended: the calls go with the session
  }
  usedSinceRenewal = false;
}

// A verification or an event: with the token (no cookies), once more with a new token if it was
// refused (expired, or withdrawn on logout or a change of roles), else with the session.
async function postApi(url, body) {
  usedSinceRenewal = true;
  for (let attempt = 0; attempt < 2 && token; attempt += 1) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (response.status !== 401) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }
    await renewToken();
  }
  return postJson(url, body);
}

async function refresh() {
  try {
    save(STORE.keys, { fetchedAt: Date.now(), data: await getJson(urls.keys) });
    save(STORE.revocations, { fetchedAt: Date.now(), data: await getJson(urls.revocations) });
  } catch (error) {
    // Offline: keep what the device has; its age is shown.
  }
  showStatus();
}

function showVerdict(reason, mode, claims, extra) {
  const box = $("verdict");
  box.textContent = LABELS[reason] || EVENT_LABELS[reason] || reason;
  box.dataset.reason = reason;
  box.className = `verdict ${reason === "valid" ? "verdict-ok" : "verdict-refused"}`;
  $("verdict-mode").textContent = mode;
  $("verdict-extra").textContent = extra || "";
  const details = $("pass-details");
  details.hidden = !claims;
  if (claims) {
    $("d-pass").textContent = claims.passId;
    $("d-name").textContent = claims.maskedName;
    $("d-community").textContent = claims.communityName;
    $("d-household").textContent = claims.household;
    $("d-until").textContent = new Date((claims.expiresAt - 1) * 1000).toLocaleDateString("zh-CN");
  }
  const usable = reason === "valid";
  $("record-exit").disabled = !usable;
  $("record-entry").disabled = !usable;
}

async function verifyTyped(event) {
  event.preventDefault();
  const text = $("pass-input").value.trim();
  if (!text) return;
  const keys = load(STORE.keys), revocations = load(STORE.revocations);
  const revoked = new Set(revocations ? revocations.data.revoked : []);
  const local = await verifyPass(text, keys ? keys.data : null, revoked, Math.floor(Date.now() / 1000));
  current = { text, verdict: local };
  showVerdict(local.reason, `本机核验（公钥集${keys ? age(keys.fetchedAt) : "未下载"}）`, local.claims);
  try {
    const online = await postApi(urls.verify, { text, direction: "", checkpoint: checkpointName });
    const checked = local.claims ? "本机验签通过 · 在线核验（已查撤销名单与外出规则）" : "本机与在线核验";
    showVerdict(online.result, checked, local.claims);
    current.verdict = { ...local, reason: online.result };
  } catch (error) {
    $("verdict-mode").textContent += "；网络不可用，未能在线核验";
    // The device's own verdict goes to the verification log when the network returns.
    save(STORE.queue, [...queue(), { ...newEvent("check"), offline: true }]);
    showStatus();
  }
}

function newEvent(direction) {
  return {
    event_id: crypto.randomUUID(),
    text: current.text,
    direction,
    occurred_at: new Date().toISOString(),
    checkpoint: checkpointName,
    offline: false,
  };
}

async function record(direction) {
  if (!current) return;
  const item = newEvent(direction);
  // An offline check queued for this pass is superseded by the movement, which is logged too.
  save(STORE.queue, queue().filter((entry) => !(entry.direction === "check" && entry.text === item.text)));
  const word = direction === "exit" ? "外出" : "返回";
  try {
    const result = (await postApi(urls.events, { events: [item] })).results[0];
    if (result.outcome === "refused") {
      showVerdict(result.reason, "在线核验", current.verdict.claims, result.message);
    } else {
      $("verdict-extra").textContent = `已记录${word}`;
    }
  } catch (error) {
    save(STORE.queue, [...queue(), { ...item, offline: true }]);
    $("verdict-extra").textContent = `网络不可用：${word}已保存在本机，联网后自动上传`;
  }
  $("record-exit").disabled = true;
  $("record-entry").disabled = true;
  showStatus();
}

let flushing = false;
async function flush() {
  const pending = queue();
  if (!pending.length || flushing || !navigator.onLine) return;
  flushing = true;
  try {
    const { results } = await postApi(urls.events, { events: pending });
    const done = new Set(results.map((result) => result.event_id));
    save(STORE.queue, queue().filter((item) => !done.has(item.event_id)));
    const list = $("upload-results");
    for (const result of results) {
      const li = document.createElement("li");
      li.className = `list-group-item small ${result.outcome === "refused" ? "text-danger" : ""}`;
      const item = pending.find((entry) => entry.event_id === result.event_id);
      const when = item ? new Date(item.occurred_at).toLocaleString("zh-CN") : "";
      const word = { exit: "外出记录", entry: "返回记录", check: "核验" }[item ? item.direction : "check"];
      li.textContent = `离线${word}（${when}）已上传：${result.message}`;
      list.prepend(li);
    }
  } catch (error) {
    // Still offline or the server is down: the queue stays and is tried again.
  } finally {
    flushing = false;
    showStatus();
  }
}

$("verify-form").addEventListener("submit", verifyTyped);

const scanner = new Scanner($("camera"), (text) => {
  $("camera-box").hidden = true;
  $("pass-input").value = text;
  $("verify-form").requestSubmit();
});
if (cameraAvailable()) {
  $("scan-button").hidden = false;
  $("scan-button").addEventListener("click", async () => {
    $("camera-box").hidden = false;
    try {
      await scanner.start();
    } catch (error) {
      $("camera-box").hidden = true;
      $("verdict-mode").textContent = "无法打开摄像头，请手工输入通行码";
    }
  });
  $("scan-stop").addEventListener("click", () => { scanner.stop(); $("camera-box").hidden = true; });
}
$("record-exit").addEventListener("click", () => record("exit"));
$("record-entry").addEventListener("click", () => record("entry"));
$("refresh").addEventListener("click", async () => { await refresh(); await flush(); });
$("clear-input").addEventListener("click", () => { $("pass-input").value = ""; $("pass-input").focus(); });
window.addEventListener("online", async () => { await renewToken(); await refresh(); await flush(); });
window.addEventListener("offline", showStatus);
setInterval(flush, 30000);
setInterval(showStatus, 60000);
// Renewing goes with the session, so a page in use keeps its session alive; an idle one does not.
setInterval(() => { if (usedSinceRenewal && navigator.onLine) renewToken(); }, TOKEN_RENEW_MS);

// Keeps the page itself on the device, so it opens with no network at all.
if ("serviceWorker" in navigator && root.dataset.sw) {
  navigator.serviceWorker.register(root.dataset.sw).catch(() => {});
}

if (!window.isSecureContext || !crypto.subtle) {
  $("insecure-warning").hidden = false;
}
showStatus();
renewToken().then(refresh).then(flush).then(() => { root.dataset.ready = "1"; });
