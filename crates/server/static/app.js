// Widgetry pages: the little JavaScript they use. Every form works without it.
// - form[data-progress]: sends the form with XMLHttpRequest and shows upload progress in the
//   form's <progress>; the answer (a page) replaces the current one.
// - form[data-confirm]: asks before submitting.
// - #preview-log: the widget preview's event log, from the sandboxed frame's messages (only
//   messages of that frame are read; their text is shown as text, never as markup); once the
//   run is done, #preview-save (moderators) carries its events to the submission.
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
  var log = document.getElementById("preview-log");
  var frame = document.querySelector("iframe.preview-frame");
  if (!log || !frame) return;
  var save = document.getElementById("preview-save");
  var events = [];
  var waiting = document.createElement("li");
  waiting.textContent = log.getAttribute("data-empty") || "";
  log.appendChild(waiting);
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || !event.data) return;
    var shot = event.data.widgetryPreviewShot;
    if (typeof shot === "string" && save && save.elements.screenshot) {
      // The server checks it is a PNG of bounded size before it keeps it.
      save.elements.screenshot.value = shot.indexOf("data:image/png;base64,") === 0 ? shot : "";
      return;
    }
    if (typeof event.data.widgetryPreview !== "object") return;
    var e = event.data.widgetryPreview;
    events.push(e);
    if (save && e.kind === "done") {
      save.elements.events.value = JSON.stringify(events);
      save.querySelector("button").disabled = false;
    }
    if (waiting.parentNode) waiting.parentNode.removeChild(waiting);
    var item = document.createElement("li");
    item.className = "preview-event preview-event-" + String(e.kind).replace(/[^a-z_]/g, "");
    var data = e.data || {};
    var where = data.file ? " (" + data.file + (data.line ? ":" + data.line : "") + ")" : "";
    var detail = data.callback || data.text || data.message || data.url || data.path || data.ref ||
      (data.modules && data.modules.join(", ")) || data.status || data.type || "";
    item.textContent = (e.t / 1000).toFixed(2) + " s  " + e.kind + (detail ? ": " + String(detail) : "") + where;
    log.appendChild(item);
  });
})();
