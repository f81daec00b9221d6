// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // A form shown again with errors: move focus to the summary, as screen readers expect.
  var oppsummering = document.querySelector(".feiloppsummering[tabindex]");
  if (oppsummering) { oppsummering.focus(); }
}());

// While a document is being made, ask for its status every 2 s and reload when it is done.
// The page works without this script: it also offers an "Oppdater siden" link.
(function () {
  "use strict";
  var el = document.querySelector("[data-status-url]");
  if (!el) { return; }
  var url = el.getAttribute("data-status-url");
  function sjekk() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { venter: true }; })
      .then(function (s) { if (s.venter) { setTimeout(sjekk, 2000); } else { window.location.reload(); } })
      .catch(function () { setTimeout(sjekk, 5000); });
  }
  setTimeout(sjekk, 2000);
}());

// A field that belongs to one choice (data-vis-nar="select-id=VALUE") is shown only while
// that choice is made, unless it holds an error or text. Without the script it is always
// shown, and its help says when to fill it in.
(function () {
  "use strict";
  document.querySelectorAll("[data-vis-nar]").forEach(function (felt) {
    var regel = felt.getAttribute("data-vis-nar").split("=");
    var valg = document.getElementById(regel[0]);
    var inndata = felt.querySelector("textarea, input");
    if (!valg || !inndata) { return; }
    function oppdater() {
      var behold = felt.classList.contains("felt--feil") || inndata.value !== "";
      felt.hidden = valg.value !== regel[1] && !behold;
    }
    valg.addEventListener("change", oppdater);
    oppdater();
  });
}());
