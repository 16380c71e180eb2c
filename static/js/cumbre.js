// Cumbre's few behaviours that need a script: the turn countdown, clock times in the viewer's
// own time zone, saying so when the server cannot be reached, starting a report download,
// spreading the reload of a large exercise's pages when a turn changes, live updates that never
// touch what a person is typing, and telling screen readers what changed.
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
  // with it: one reload. While it waits, the page says so (data-turn-waiting on <html>).
  var spreading = null;
  document.addEventListener("cumbre:turn", function (event) {
    var holder = document.querySelector("[data-turn-spread]");
    var spread = holder ? parseFloat(holder.dataset.turnSpread) : 0;
    if (!(spread > 0) || (event.detail && event.detail.spread)) { return; }
    event.stopPropagation();
    if (spreading) { return; }
    document.documentElement.dataset.turnWaiting = "true";
    spreading = setTimeout(function () {
      spreading = null;
      delete document.documentElement.dataset.turnWaiting;
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

// --- Live updates that leave typing alone ----------------------------------------------------
// A region that reloads (someone else acted, an inject arrived, the turn changed) is morphed
// into its new content rather than replaced: the elements stay, so focus, the caret, scroll
// positions and open panels stay too. A field a person has changed and not sent, or is in, is
// not touched at all; a choice list takes its new options and keeps the person's choice; a
// form whose field is kept stays on the page even if the new content no longer has it, marked
// as no longer current, so nothing typed is ever lost. The form a person has just sent
// successfully is cleared first, so that its own region can show it empty.
(function () {
  "use strict";

  var kept = new Set();

  function fields(root) {
    return root.querySelectorAll ? root.querySelectorAll("input, textarea, select") : [];
  }

  // Changed and not sent: what the person did, compared with what the page was given.
  function changed(field) {
    if (field.disabled) { return false; }
    if (field.tagName === "SELECT") {
      var options = Array.prototype.slice.call(field.options);
      var given = options.filter(function (o) { return o.defaultSelected; });
      // A single choice list given no choice shows its first option.
      if (!given.length && !field.multiple && options.length) { given = [options[0]]; }
      return options.some(function (o) { return o.selected !== (given.indexOf(o) >= 0); });
    }
    if (field.tagName === "TEXTAREA") { return field.value !== field.defaultValue; }
    var type = (field.type || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image", "file"].indexOf(type) >= 0) {
      return false;
    }
    if (type === "checkbox" || type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    return field.value !== field.defaultValue;
  }

  function isKept(node) {
    if (kept.has(node)) { return true; }
    for (var field of kept) {
      if (node.contains && node.contains(field)) { return true; }
    }
    return false;
  }

  var morphConfig = {
    morphStyle: "outerHTML",
    ignoreActiveValue: true,
    restoreFocus: true,
    callbacks: {
      // A text field the person changed or is in keeps everything: value, caret, size.
      beforeNodeMorphed: function (oldNode) {
        return !(kept.has(oldNode) && oldNode.tagName !== "SELECT");
      },
      // A form with a kept field stays, even where the new content has no place for it.
      beforeNodeRemoved: function (node) {
        if (node.nodeType === 1 && node.matches && node.matches("p.confirmation")) {
          return false;
        }
        if (!isKept(node)) { return true; }
        var form = node.tagName === "FORM" ? node : node.querySelector && node.querySelector("form");
        if (form && !form.classList.contains("orphan")) { orphan(form); }
        return false;
      },
      beforeAttributeUpdated: function (name, element) {
        // `style` is the person's (a resized text box); `open` is theirs (a panel they opened
        // or closed); a kept choice list keeps its choice.
        if (name === "style" || name === "open") { return false; }
        if (name === "selected" && element.parentElement && kept.has(element.closest("select"))) {
          return false;
        }
        return true;
      },
    },
  };

  // A kept form whose new content has no place for it says so; its region explains nothing else.
  function orphan(form) {
    form.classList.add("orphan");
    var note = document.createElement("p");
    note.className = "notice orphan-note";
    note.textContent = document.body.dataset.sayOrphan || "";
    form.insertBefore(note, form.firstChild);
  }

  htmx.defineExtension("cumbre-morph", {
    handleSwap: function (style, target, fragment) {
      if (style !== "morph") { return false; }
      var choices = [];
      kept.forEach(function (field) {
        if (field.tagName === "SELECT") {
          choices.push([field, Array.prototype.filter.call(field.options, function (o) {
            return o.selected;
          }).map(function (o) { return o.value; })]);
        }
      });
      var nodes = Idiomorph.morph(target, fragment.children, morphConfig);
      choices.forEach(function (pair) {
        Array.prototype.forEach.call(pair[0].options, function (o) {
          o.selected = pair[1].indexOf(o.value) >= 0;
        });
      });
      return nodes;
    },
  });

  function succeeded(detail) {
    var xhr = detail.xhr;
    return xhr && xhr.status >= 200 && xhr.status < 300 &&
      !/cumbre:error/.test(xhr.getResponseHeader("HX-Trigger") || "");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var verb = (detail.requestConfig && detail.requestConfig.verb) || "get";
    // The form just sent, and accepted, is no longer the person's unsent work.
    if (verb !== "get" && succeeded(detail)) {
      var sent = detail.elt && (detail.elt.tagName === "FORM" ? detail.elt : detail.elt.closest("form"));
      if (sent) {
        sent.reset();
        if (sent.classList.contains("orphan")) { sent.remove(); }
      }
    }
    var target = detail.target;
    if (!detail.shouldSwap || !target || !target.id || target.id === "pulse") { return; }
    var swap = detail.swapOverride ||
      ((detail.elt && detail.elt.closest("[hx-swap]")) || target).getAttribute("hx-swap") || "";
    if (swap.split(" ")[0] !== "outerHTML") { return; }
    kept = new Set();
    fields(target).forEach(function (field) {
      if (changed(field) || field === document.activeElement) { kept.add(field); }
    });
    detail.swapOverride = "morph" + swap.slice("outerHTML".length);
  });
  document.addEventListener("htmx:afterSettle", function () { kept = new Set(); });
  // A kept form that the person clears, or sends, leaves with its note at the next update.
  document.addEventListener("reset", function (event) {
    if (event.target.classList && event.target.classList.contains("orphan")) {
      event.target.remove();
    }
  });
})();

// --- Telling everyone, including screen readers, what changed --------------------------------
// One polite live region announces, in short sentences, new injects, new messages and the turn
// changing; the countdown is a timer announced at five minutes, one minute and the close. After
// an action the person lands on its confirmation. The sentences come translated from the page
// (data-say-* on <body>).
(function () {
  "use strict";

  var WATCHED = [
    ["article.inject h3", "sayInject"],
    ["ol.messages-list li:not(.muted)", "sayMessage"],
    ["#clock .gametime", "sayTurn"],
  ];
  var before = null;

  function texts(root) {
    var found = {};
    WATCHED.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) {
        found[pair[1] + "|" + el.textContent.trim().replace(/\s+/g, " ")] = true;
      });
    });
    return found;
  }

  function say(sentences) {
    var region = document.getElementById("announcer");
    if (!region || !sentences.length) { return; }
    // Replacing the text makes the screen reader read it; one update, read as one.
    region.textContent = "";
    setTimeout(function () { region.textContent = sentences.join(" "); }, 50);
  }

  function newsSince(old) {
    var now = texts(document);
    var sentences = [];
    Object.keys(now).forEach(function (key) {
      if (old[key]) { return; }
      var bar = key.indexOf("|");
      var prefix = document.body.dataset[key.slice(0, bar)] || "";
      var text = key.slice(bar + 1);
      sentences.push(prefix ? prefix + " " + text.slice(0, 160) : text.slice(0, 160));
    });
    return sentences.slice(0, 4);
  }

  document.addEventListener("DOMContentLoaded", function () { before = texts(document); });
  document.addEventListener("htmx:beforeSwap", function () {
    if (before === null) { before = texts(document); }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (before === null) { return; }
    say(newsSince(before));
    before = texts(document);
  });

  // The countdown: announced once as each threshold passes while the page is open.
  var THRESHOLDS = [[300, "sayFiveMinutes"], [60, "sayOneMinute"], [0, "sayClosing"]];
  setInterval(function () {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = Math.round((Date.parse(el.dataset.deadline) - Date.now()) / 1000);
      if (isNaN(left)) { return; }
      var last = el.dataset.lastLeft === undefined ? null : parseInt(el.dataset.lastLeft, 10);
      el.dataset.lastLeft = String(left);
      if (last === null) { return; }
      THRESHOLDS.forEach(function (pair) {
        if (last > pair[0] && left <= pair[0]) { say([document.body.dataset[pair[1]] || ""]); }
      });
    });
  }, 1000);

  // After an action, its confirmation: beside what was acted on, focused and announced.
  document.addEventListener("cumbre:done", function (event) {
    var message = event.detail && (event.detail.message || event.detail.value);
    var source = event.target && event.target.closest ? event.target : null;
    var region = source && source.isConnected ? source.closest("section[id]") : null;
    region = region || document.querySelector("main section[id]") || document.querySelector("main");
    if (!message || !region) { return; }
    var note = region.querySelector(":scope > p.confirmation");
    if (!note) {
      note = document.createElement("p");
      note.className = "confirmation ok";
      note.tabIndex = -1;
      var heading = region.querySelector(":scope > h2");
      region.insertBefore(note, heading ? heading.nextSibling : region.firstChild);
    }
    note.textContent = message;
    note.focus();
    say([message]);
  });
  // A new action in a region replaces its last confirmation.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (verb === "get") { return; }
    var region = event.detail.elt.closest && event.detail.elt.closest("section[id]");
    var note = region && region.querySelector(":scope > p.confirmation");
    if (note) { note.remove(); }
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
