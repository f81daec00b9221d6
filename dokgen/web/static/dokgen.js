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

// Lists of rows: "Legg til rad" clones the list's row template and "Fjern rad" removes the
// row, without a reload; the focus goes to the new row's first field, or after a removal to
// the row before (or the add button), and a status line says what happened. A removed
// row's fields are simply gone: the server reads a missing row as an empty one and drops
// it. Without the script both buttons post the form and it comes back at the list.
(function () {
  "use strict";
  // Every form with lists: the document's (#skjema) and a page's sections (form.skjema).
  document.querySelectorAll("form.skjema").forEach(function (form) { radlister(form); });
  function radlister(form) {
  var status = document.getElementById("kladdstatus");
  function si(tekst) { if (status) { status.textContent = tekst; } }
  function rader(liste) { return liste.querySelectorAll(":scope > .rader > .rad"); }
  function nummerer(liste) {
    rader(liste).forEach(function (rad, i) {
      var legend = rad.querySelector(":scope > legend");
      if (legend) { legend.textContent = "Rad " + (i + 1); }
      var knapp = rad.querySelector(":scope > .fjern-rad");
      if (knapp && knapp.firstChild) { knapp.firstChild.textContent = "Fjern rad " + (i + 1); }
    });
  }
  function oppdaterKnapp(liste) {
    var mal = liste.querySelector(":scope > template.radmal");
    var knapp = liste.querySelector(":scope > .legg-til-rad");
    var grense = mal && mal.getAttribute("data-grense");
    if (knapp && grense) { knapp.hidden = rader(liste).length >= Number(grense); }
  }
  form.addEventListener("click", function (e) {
    var knapp = e.target.closest("button");
    if (!knapp) { return; }
    var liste = knapp.closest(".liste");
    if (knapp.classList.contains("legg-til-rad") && liste) {
      var mal = liste.querySelector(":scope > template.radmal");
      var antall = liste.querySelector(":scope > input[data-rader]");
      if (!mal || !antall) { return; }
      e.preventDefault();
      var indeks = Number(antall.value);
      var html = mal.innerHTML.split("__rad__").join(String(indeks));
      var ramme = document.createElement("div");
      ramme.innerHTML = html.split("__nr__").join(String(rader(liste).length + 1));
      var ny = ramme.firstElementChild;
      liste.querySelector(":scope > .rader").appendChild(ny);
      antall.value = String(indeks + 1);
      nummerer(liste);
      oppdaterKnapp(liste);
      var forste = ny.querySelector("input, select, textarea");
      if (forste) { forste.focus(); }
      si("Rad " + rader(liste).length + " er lagt til.");
      form.dispatchEvent(new Event("input"));
    } else if (knapp.classList.contains("fjern-rad") && liste) {
      var rad = knapp.closest(".rad");
      if (!rad) { return; }
      e.preventDefault();
      var alle = Array.prototype.slice.call(rader(liste));
      var plass = alle.indexOf(rad);
      rad.remove();
      nummerer(liste);
      oppdaterKnapp(liste);
      var igjen = rader(liste);
      var neste = plass > 0 ? igjen[plass - 1].querySelector(".fjern-rad")
        : (igjen[0] ? igjen[0].querySelector("input, select, textarea") : null);
      (neste || liste.querySelector(":scope > .legg-til-rad") || liste).focus();
      si("Rad " + (plass + 1) + " er fjernet.");
      form.dispatchEvent(new Event("input"));
    }
  });
  }
  // After an add or remove posted without the script: the list the page came back at.
  var fokus = document.querySelector("[data-fokus]");
  if (fokus && !document.querySelector("[autofocus]")) { fokus.focus(); }
}());

// A form with a kladd address (data-kladd-url) is saved as a kladd a few seconds after
// one stops typing, valid or not; the first save of a new form makes the kladd, and the
// form goes on saving to it and is submitted to it. Without the script the "Lagre som
// kladd" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("skjema");
  if (!form || !form.getAttribute("data-kladd-url")) { return; }
  var status = document.getElementById("kladdstatus");
  var tidtaker = null;
  var underveis = false;
  var igjen = false;
  function lagre() {
    if (underveis) { igjen = true; return; }
    underveis = true;
    var data = new FormData(form);
    fetch(form.getAttribute("data-kladd-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (svar) {
        form.setAttribute("data-kladd-url", svar.kladd_url);
        if (form.getAttribute("action") !== svar.skjema_url) {
          form.setAttribute("action", svar.skjema_url);
          form.querySelectorAll("button[formaction]").forEach(function (b) {
            var anker = b.getAttribute("formaction").split("#")[1];
            b.setAttribute("formaction", svar.skjema_url + (anker ? "#" + anker : ""));
          });
          if (window.history && window.history.replaceState) {
            window.history.replaceState(null, "", svar.skjema_url);
          }
        }
        if (status) { status.textContent = "Kladden er lagret kl. " + svar.lagret + "."; }
      })
      .catch(function () {
        if (status) { status.textContent = "Kladden ble ikke lagret. Bruk «Lagre som kladd»."; }
      })
      .then(function () {
        underveis = false;
        if (igjen) { igjen = false; planlegg(); }
      });
  }
  function planlegg() {
    if (tidtaker) { clearTimeout(tidtaker); }
    tidtaker = setTimeout(lagre, Number(form.getAttribute("data-kladd-forsinkelse") || 2000));
  }
  form.addEventListener("input", planlegg);
  form.addEventListener("change", planlegg);
  form.addEventListener("submit", function () { if (tidtaker) { clearTimeout(tidtaker); } });
}());
