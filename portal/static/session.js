// The session-timeout warning (WCAG 2.2.1): shown a few minutes before the idle limit ends the session, with a
// button that keeps it alive. Without this script nothing is lost: answers sent after the end come back after
// logging in again.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) { return; }
  var seconds = Number(box.getAttribute("data-seconds"));
  var warn = Number(box.getAttribute("data-warn-seconds"));
  var form = box.querySelector("form");
  var timer = null;
  var returnFocus = null;

  function show() {
    returnFocus = document.activeElement;
    box.hidden = false;
    box.querySelector("button").focus();
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(show, Math.max(0, seconds - warn) * 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                               headers: {"X-Requested-With": "fetch"}})
      .then(function (response) {
        if (response.status !== 204) { window.location.reload(); return; }
        box.hidden = true;
        if (returnFocus && returnFocus.focus) { returnFocus.focus(); }
        schedule();
      })
      .catch(function () { form.submit(); });
  });
  schedule();
})();
