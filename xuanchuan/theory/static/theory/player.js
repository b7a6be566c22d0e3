// The classroom's player (theory/m/item.html): counts the play at the first press, reports the
// stretches actually played and the position to resume from, and resumes where this phone stopped.
//
// A stretch runs from where playing started to the last time seen; a jump of more than two seconds
// between two time updates is a seek, which ends the stretch (the skipped part is never reported).
// Stretches are sent every ten seconds of playing, at pause, seek and end, and when the page is left
// (fetch with keepalive, CSRF token from the element's data-csrf); one the server refused for the
// rate is kept and sent with the next beacon. The server decides what counts (services/viewers.py).
(function () {
  "use strict";
  var player = document.getElementById("player");
  if (!player || !window.fetch) {
    return;
  }
  var data = player.dataset;
  var resume = parseFloat(data.resume) || 0;
  var duration = parseFloat(data.duration) || 0;
  // The newest position on this phone is also kept in the browser: a page reloaded before the
  // server has the leaving beacon still resumes where it stopped.
  var storeKey = "xc-classroom-position:" + data.progressUrl;
  var storedAt = 0;

  function nearEnd(seconds) {
    return seconds >= duration - Math.max(1, Math.min(10, Math.floor(duration / 20)));
  }

  function store(seconds, force) {
    var moment = Date.now();
    if (!force && moment - storedAt < 1000) {
      return;
    }
    storedAt = moment;
    try {
      window.localStorage.setItem(storeKey, String(nearEnd(seconds) ? 0 : Math.floor(seconds)));
    } catch (error) {
      // storage refused (private mode): the server's position is used
    }
  }

  try {
    var kept = window.localStorage.getItem(storeKey);
    if (kept !== null && isFinite(parseFloat(kept)) && parseFloat(kept) > 0) {
      resume = parseFloat(kept);
      var shown = document.getElementById("resume-time");
      if (shown) {
        var minutes = Math.floor(resume / 60);
        var secs = Math.floor(resume % 60);
        shown.textContent = (minutes < 10 ? "0" : "") + minutes + ":" + (secs < 10 ? "0" : "") + secs;
      }
    }
  } catch (error) {
    // no storage: the server's position is used
  }
  var JUMP = 2; // seconds between two time updates that mean a seek, not playing
  var EVERY = 10000; // ms between beacons while playing
  var played = false;
  var from = null; // start of the stretch being played
  var last = null; // the last time seen in it
  var queue = []; // stretches not yet accepted by the server
  var sending = false;
  var timer = null;

  function post(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (key) {
      body.append(key, String(fields[key]));
    });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": data.csrf },
    });
  }

  function close() {
    if (from !== null && last !== null && last - from > 0.2) {
      queue.push([from, last]);
    }
    from = null;
    last = null;
  }

  function send(stretch, position) {
    var fields = { position: Math.max(0, position).toFixed(2) };
    if (stretch) {
      fields.watched_from = stretch[0].toFixed(2);
      fields.watched_to = stretch[1].toFixed(2);
    }
    return post(data.progressUrl, fields).then(
      function (response) {
        if (!response.ok && stretch && (response.status === 429 || response.status >= 500)) {
          queue.unshift(stretch);
        }
        return response.ok;
      },
      function () {
        if (stretch) {
          queue.unshift(stretch);
        }
        return false;
      }
    );
  }

  function flush(withPosition) {
    if (sending || (!queue.length && !withPosition)) {
      return;
    }
    sending = true;
    send(queue.shift(), player.currentTime || 0).then(function (ok) {
      sending = false;
      if (ok && queue.length) {
        window.setTimeout(function () {
          flush(false);
        }, 2500);
      }
    });
  }

  function leave() {
    // Leaving the page: every stretch left goes now (the rate allows a few at once).
    close();
    var position = player.currentTime || 0;
    if (played) {
      store(position, true);
    }
    if (!queue.length) {
      if (played) {
        send(null, position);
      }
      return;
    }
    while (queue.length) {
      send(queue.shift(), position);
    }
  }

  player.addEventListener("timeupdate", function () {
    var now = player.currentTime;
    if (played) {
      store(now, false);
    }
    if (!player.paused && from !== null && now >= last && now - last <= JUMP) {
      last = now;
      return;
    }
    close();
    from = now;
    last = now;
  });

  player.addEventListener("seeking", function () {
    var had = from !== null && last !== null && last - from > 0.2;
    close();
    if (had || queue.length) {
      flush(true);
    }
  });

  player.addEventListener("play", function () {
    if (!played) {
      played = true;
      post(data.playUrl, {}).catch(function () {});
    }
    if (timer === null) {
      timer = window.setInterval(function () {
        if (!player.paused && from !== null) {
          var at = last;
          close();
          from = at;
          last = at;
          flush(true);
        }
      }, EVERY);
    }
  });

  player.addEventListener("pause", function () {
    close();
    flush(true);
  });

  player.addEventListener("ended", function () {
    close();
    flush(true);
  });

  function seekToResume() {
    if (resume > 0 && resume < (player.duration || Infinity) && Math.abs(player.currentTime - resume) > 1) {
      player.currentTime = resume;
    }
  }

  // A cached file may have its metadata before this script runs: then seek at once.
  if (player.readyState >= 1) {
    seekToResume();
  } else {
    player.addEventListener("loadedmetadata", seekToResume);
  }

  window.addEventListener("pagehide", leave);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      close();
      flush(true);
    }
  });

  var restart = document.getElementById("restart");
  if (restart) {
    restart.addEventListener("click", function (event) {
      event.preventDefault();
      resume = 0;
      store(0, true);
      player.currentTime = 0;
      var notice = document.getElementById("resume-notice");
      if (notice) {
        notice.remove(); // not "hidden": Bootstrap's d-flex would still show it
      }
      var started = player.play();
      if (started && started.catch) {
        started.catch(function () {});
      }
    });
  }
})();
