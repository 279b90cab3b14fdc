// Widgetry pages: the little JavaScript they use. Every form works without it.
// - form[data-progress]: sends the form with XMLHttpRequest and shows upload progress in the
//   form's <progress>; the answer (a page) replaces the current one.
// - form[data-confirm]: asks before submitting.
// - #preview-log: the widget preview's event log, from the sandboxed frame's messages (only
//   messages of that frame are read; their text is shown as text, never as markup); once the
//   run is done, #preview-save (moderators) carries its events and screenshot to the
//   submission; #preview-save-all runs every area's frame in turn and saves each run.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (!form.hasAttribute("data-progress") || !window.FormData) return;
  event.preventDefault();
  var bar = form.querySelector("progress");
  var status = form.querySelector("[data-progress-text]");
  var button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  if (bar) { bar.hidden = false; bar.value = 0; }
  var xhr = new XMLHttpRequest();
  xhr.open(form.method || "POST", form.action);
  xhr.upload.onprogress = function (e) {
    if (!e.lengthComputable) return;
    var pct = Math.round((e.loaded / e.total) * 100);
    if (bar) { bar.max = 100; bar.value = pct; }
    if (status) status.textContent = pct + " %";
  };
  xhr.upload.onload = function () {
    if (status) status.textContent = status.getAttribute("data-checking") || "";
  };
  xhr.onload = function () {
    var url = xhr.responseURL || form.action;
    document.open();
    document.write(xhr.responseText);
    document.close();
    if (url !== window.location.href) window.history.pushState(null, "", url);
  };
  xhr.onerror = function () {
    if (button) button.disabled = false;
    if (status) status.textContent = status.getAttribute("data-failed") || "failed";
  };
  xhr.send(new FormData(form));
});

(function () {
  // The preview page: the event log fed by the frame's messages, the moderator's save form
  // (filled with the run's events and screenshot once it is done), and "run every area":
  // each area's frame in turn, each run posted to the same form's address.
  var log = document.getElementById("preview-log");
  var frame = document.querySelector("iframe.preview-frame");
  if (!log || !frame) return;
  var save = document.getElementById("preview-save");
  var submit = save && save.querySelector("button[type=submit]");
  var all = document.getElementById("preview-save-all");
  var events = [];
  var onDone = null;
  var waiting = document.createElement("li");
  waiting.textContent = log.getAttribute("data-empty") || "";
  log.appendChild(waiting);
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || !event.data) return;
    var picture = event.data.widgetryPreviewShot;
    if (typeof picture === "string") {
      // The server checks it is a PNG of bounded size before it keeps it.
      if (save) save.elements.screenshot.value = picture.indexOf("data:image/png;base64,") === 0 ? picture : "";
      return;
    }
    if (typeof event.data.widgetryPreview !== "object") return;
    var e = event.data.widgetryPreview;
    if (e.kind === "start") {
      // A new run (the next area): nothing of the last one is saved with it.
      events = [];
      if (save) save.elements.screenshot.value = "";
    }
    events.push(e);
    if (e.kind === "done") {
      if (save) save.elements.events.value = JSON.stringify(events);
      if (onDone) {
        var then = onDone;
        onDone = null;
        then();
      } else {
        if (submit) submit.disabled = false;
        if (all) all.disabled = false;
      }
    }
    if (waiting.parentNode) waiting.parentNode.removeChild(waiting);
    var item = document.createElement("li");
    item.className = "preview-event preview-event-" + String(e.kind).replace(/[^a-z_]/g, "");
    var data = e.data || {};
    var where = data.file ? " (" + data.file + (data.line ? ":" + data.line : "") + ")" : "";
    var detail = data.callback || data.text || data.message || data.url || data.path || data.ref ||
      (data.modules && data.modules.join(", ")) || data.status || data.type || "";
    item.textContent = (e.t / 1000).toFixed(2) + " s  " + (e.kind === "start" ? data.area + ": " : "") + e.kind +
      (detail ? ": " + String(detail) : "") + where;
    log.appendChild(item);
  });
  if (!all || !save) return;
  var status = document.getElementById("preview-save-all-status");
  var AREA_MS = 60000;
  all.addEventListener("click", function () {
    var frames = JSON.parse(all.getAttribute("data-frames") || "[]");
    var i = 0;
    all.disabled = true;
    if (submit) submit.disabled = true;
    var fail = function (area) {
      onDone = null;
      status.textContent = status.getAttribute("data-failed") + " " + area;
      all.disabled = false;
    };
    (function next() {
      if (i >= frames.length) {
        window.location.assign(all.getAttribute("data-done"));
        return;
      }
      var one = frames[i];
      i += 1;
      status.textContent = status.getAttribute("data-progress") + ": " + one.area + " (" + i + "/" + frames.length + ")";
      var timer = setTimeout(function () { fail(one.area); }, AREA_MS);
      // Once the run is done the form holds it (events, screenshot): posted as the single
      // save posts it, for this area.
      onDone = function () {
        clearTimeout(timer);
        save.elements.area.value = one.area;
        var body = new URLSearchParams(new FormData(save));
        fetch(save.action, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
          .then(function (r) {
            if (r.type === "opaqueredirect" || r.ok) next();
            else fail(one.area);
          }, function () { fail(one.area); });
      };
      frame.src = one.url;
    })();
  });
})();
