// Widgetry pages: the little JavaScript they use. Every form works without it.
// - form[data-progress]: sends the form with XMLHttpRequest and shows upload progress in the
//   form's <progress>; the answer (a page) replaces the current one.
// - form[data-confirm]: asks before submitting.
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
