"""Gjennomføring pages: the list, a new one (admins), and a gjennomføring's page — its
general fields (admins change them) and its "Fakturering og krav" section (admins and
regnskap: :class:`~dokgen.oppfolging.modeller.FaktureringInn`), with what a claim still
needs as links to the fields.

Every list of the forms (the timepris periods) works without the script: "Legg til rad"
and "Fjern rad" post the form and it comes back with the row added or removed.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from dokgen.access import TILGANG
from dokgen.documents.schemas import model_schema
from dokgen.errors import FieldError
from dokgen.oppfolging.modeller import (
    FAKTURERINGSFELT,
    KRAVFORMER,
    FaktureringInn,
    GjennomforingInn,
    les,
)
from dokgen.oppfolging.regelsett import REGELSETT
from dokgen.services import gjennomforinger as service
from dokgen.services.innstillinger import Mangel
from dokgen.web import aktor, deps
from dokgen.web.sider import skjema
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.form_errors import form_errors

# The generic form shows these fields as radio buttons (few choices, each in words).
_RADIO = ("kravform",)


def _valg() -> dict[str, list[tuple[str, str]]]:
    pakker = sorted(REGELSETT.values(), key=lambda p: p.navn)
    return {"regelsett": [(p.navn, p.beskrivelse) for p in pakker], "kravform": _kravvalg()}


def _kravvalg() -> list[tuple[str, str]]:
    return list(KRAVFORMER.items())


def _generelt_skjema() -> dict[str, Any]:
    """Return the schema of a gjennomføring's general fields (all but its invoicing)."""
    schema = copy.deepcopy(model_schema(GjennomforingInn))
    for felt in FAKTURERINGSFELT:
        schema["properties"].pop(felt, None)
    schema["required"] = [k for k in schema.get("required", []) if k in schema["properties"]]
    return schema


def _bygg(schema: dict[str, Any], verdier: Any, feil: list[FieldError]) -> Any:
    """Return the form of ``schema`` (root, summary) with the rows the post asked for."""
    fjern = request.form.get("_remove_row")
    rader = skjema.rows_wanted(request.form, request.form.get("_add_row"), fjern)
    root, summary = skjema.build("", verdier, feil, rader, schema=schema, choices=_valg())
    for part in root.parts:
        if isinstance(part, skjema.Field) and part.name in _RADIO:
            part.kind = "radio"
    return root, summary


def _postet(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the posted form as data; a "Fjern rad" button's row is left out."""
    data = skjema.from_form("", request.form, schema=schema)
    if fjern := request.form.get("_remove_row"):
        skjema.remove_row(data, fjern)
    return data


def _radendring() -> bool:
    """Tell whether the post only asked for another row or one less."""
    return bool(request.form.get("_add_row") or request.form.get("_remove_row"))


def _ny_side(verdier: Any, feil: list[FieldError]) -> Any:
    root, summary = _bygg(model_schema(GjennomforingInn), verdier, feil)
    return render_template(
        "register/skjema.html", root=root, summary=summary, tittel="Ny gjennomføring",
        action=url_for("sider.ny_gjennomforing"), avbryt=url_for("sider.gjennomforinger"),
        knapp="Lagre gjennomføringen",
    )  # fmt: skip


def _ny_som_postet(feil: list[FieldError]) -> Any:
    return _ny_side(_postet(model_schema(GjennomforingInn)), feil)


def _lenke(mangel: Mangel) -> str:
    """Return where a missing thing is filled in: the settings page for the seller and the
    VAT, else the field of the gjennomføring's invoicing section."""
    anker = mangel.sti.replace(".", "-")
    if mangel.sti.startswith(("selger.", "mva.")):
        return url_for("sider.innstillinger") + f"#inn-{anker}"
    if mangel.sti in ("timepris", "kjoper"):
        return f"#g-{'timepriser' if mangel.sti == 'timepris' else 'kjoper'}"
    return f"#f-{anker}"


def _side(
    gjennomforing_id: int,
    *,
    generelt: tuple[Any, list[FieldError]] | None = None,
    fakturering: tuple[Any, list[FieldError]] | None = None,
) -> Any:
    """Return a gjennomføring's page; a form given as (values, errors) is shown as posted,
    the other as stored."""
    lagret = service.hent(deps(), aktor(), gjennomforing_id)
    dag = deps().clock().date()
    mangler = service.mangler_for_krav(deps(), aktor(), gjennomforing_id, dag)
    kan_endre = aktor().rolle in TILGANG["gjennomforing.skriv"]
    generell = f_summary = g_summary = None
    if kan_endre:
        verdier, feil = generelt or (lagret, [])
        generell, g_summary = _bygg(_generelt_skjema(), verdier, feil)
    verdier, feil = fakturering or (service.fakturering(lagret), [])
    seksjon, f_summary = _bygg(model_schema(FaktureringInn), verdier, feil)
    return render_template(
        "register/gjennomforing.html", g=lagret, generell=generell, g_summary=g_summary,
        seksjon=seksjon, f_summary=f_summary, mangler=[(m, _lenke(m)) for m in mangler],
        dag=dag, regelsett=REGELSETT, kravformer=KRAVFORMER,
    )  # fmt: skip


def _generelt_som_postet(feil: list[FieldError], gjennomforing_id: int) -> Any:
    return _side(gjennomforing_id, generelt=(_postet(_generelt_skjema()), feil))


def _fakturering_som_postet(feil: list[FieldError], gjennomforing_id: int) -> Any:
    return _side(gjennomforing_id, fakturering=(_postet(model_schema(FaktureringInn)), feil))


@bp.get("/gjennomforinger")
def gjennomforinger() -> Any:
    """List the organisation's gjennomføringer (admins and regnskap)."""
    aktor().krev("gjennomforing.fakturering")
    rader = service.liste(deps(), aktor())
    return render_template(
        "register/gjennomforinger.html", rader=rader, regelsett=REGELSETT, kravformer=KRAVFORMER
    )


@bp.route("/gjennomforinger/ny", methods=["GET", "POST"])
@form_errors(_ny_som_postet)
def ny_gjennomforing() -> Any:
    """Create a gjennomføring; an invalid post shows the form again with every error."""
    aktor().krev("gjennomforing.skriv")
    if request.method == "GET":
        return _ny_side({"kravform": "ehf"}, [])
    if _radendring():
        return _ny_side(_postet(model_schema(GjennomforingInn)), [])
    inn = les(GjennomforingInn, _postet(model_schema(GjennomforingInn)))
    rad = service.opprett(deps(), aktor(), inn)
    flash(f"Gjennomføringen «{rad['navn']}» er lagret.")
    return redirect(url_for("sider.endre_gjennomforing", gjennomforing_id=rad["id"]))


@bp.route("/gjennomforinger/<int:gjennomforing_id>", methods=["GET", "POST"])
@form_errors(_generelt_som_postet)
def endre_gjennomforing(gjennomforing_id: int) -> Any:
    """Show a gjennomføring's page; a post (admins) changes its general fields and keeps
    its invoicing as stored."""
    aktor().krev("gjennomforing.fakturering")
    if request.method == "GET":
        return _side(gjennomforing_id)
    aktor().krev("gjennomforing.skriv")
    lagret = service.hent(deps(), aktor(), gjennomforing_id)
    data = _postet(_generelt_skjema()) | service.fakturering(lagret)
    rad = service.endre(deps(), aktor(), gjennomforing_id, les(GjennomforingInn, data))
    flash(f"Gjennomføringen «{rad['navn']}» er endret.")
    return redirect(url_for("sider.endre_gjennomforing", gjennomforing_id=gjennomforing_id))


@bp.post("/gjennomforinger/<int:gjennomforing_id>/fakturering")
@form_errors(_fakturering_som_postet)
def fakturering_gjennomforing(gjennomforing_id: int) -> Any:
    """Change how a gjennomføring is claimed (admins and regnskap); an invalid post shows
    the page again with every error, nothing changed."""
    aktor().krev("gjennomforing.fakturering")
    data = _postet(model_schema(FaktureringInn))
    if _radendring():
        return _side(gjennomforing_id, fakturering=(data, []))
    service.endre_fakturering(deps(), aktor(), gjennomforing_id, les(FaktureringInn, data))
    flash("Fakturering og krav er lagret.")
    url = url_for("sider.endre_gjennomforing", gjennomforing_id=gjennomforing_id)
    return redirect(url + "#fakturering")
