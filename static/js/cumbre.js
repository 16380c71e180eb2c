// Cumbre's few behaviours that need a script: the turn countdown, clock times in the viewer's
// own time zone, saying so when the server cannot be reached, starting a report download, and
// spreading the reload of a large exercise's pages when a turn changes.
(function () {
  "use strict";

  function pad(n) { return String(n).padStart(2, "0"); }

  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var deadline = Date.parse(el.dataset.deadline);
      if (isNaN(deadline)) { return; }
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      el.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
      el.classList.toggle("urgent", left <= 60);
    });
  }

  function localTimes(root) {
    (root || document).querySelectorAll("time[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) {
        el.textContent = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        el.title = when.toLocaleString();
      }
    });
  }

  function offline(on) {
    var banner = document.getElementById("offline");
    if (banner) { banner.hidden = !on; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    localTimes();
    setInterval(tick, 1000);
  });
  document.addEventListener("htmx:afterSwap", function (event) { localTimes(event.target); tick(); });
  // A report a worker has just finished downloads by itself, once, when its link arrives.
  document.addEventListener("htmx:load", function (event) {
    var link = event.target.querySelector && event.target.querySelector("a[data-download-now]");
    if (link) { link.click(); }
  });
  document.addEventListener("htmx:sendError", function () { offline(true); });
  // A turn change reloads every page of the exercise. A page that says so (a team room, by
  // the size of the exercise) waits a moment at random first, so that the pages of a large
  // exercise do not all ask the server in the same second. Changes that come meanwhile wait
  // with it: one reload.
  var spreading = null;
  document.addEventListener("cumbre:turn", function (event) {
    var holder = document.querySelector("[data-turn-spread]");
    var spread = holder ? parseFloat(holder.dataset.turnSpread) : 0;
    if (!(spread > 0) || (event.detail && event.detail.spread)) { return; }
    event.stopPropagation();
    if (spreading) { return; }
    spreading = setTimeout(function () {
      spreading = null;
      document.body.dispatchEvent(
        new CustomEvent("cumbre:turn", { bubbles: true, detail: { spread: true } }));
    }, Math.random() * spread * 1000);
  }, true);
  // A refused action (turn closed, inject already delivered...) says why, in a banner.
  document.addEventListener("cumbre:error", showError);
  function showError(event) {
    var banner = document.getElementById("refusal");
    if (!banner || !event.detail) { return; }
    banner.textContent = event.detail.message || event.detail.value || "";
    banner.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(function () { banner.hidden = true; }, 8000);
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful || (event.detail.xhr && event.detail.xhr.status === 422)) {
      offline(false);
    }
  });
})();

// --- Copy buttons ---------------------------------------------------------------------------
// A button with data-copy-target="<id>" copies that field's value (an invite link). Hidden in
// the page and shown here, so that without JavaScript nobody sees a button that does nothing.
(function () {
  "use strict";
  function reveal(root) {
    root.querySelectorAll("[data-copy-target][hidden]").forEach(function (button) {
      if (navigator.clipboard) { button.hidden = false; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSettle", function (event) { reveal(event.target); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-target]");
    if (!button) { return; }
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field || !navigator.clipboard) { return; }
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    navigator.clipboard.writeText(field.value || field.textContent).then(function () {
      button.textContent = button.dataset.copied || label;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
})();
