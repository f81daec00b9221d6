"""Gjennomføring pages (admins): the list, a new one and changing one, every field of
:class:`~dokgen.oppfolging.modeller.GjennomforingInn`."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from dokgen.documents.schemas import model_schema
from dokgen.errors import FieldError
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.oppfolging.regelsett import REGELSETT
from dokgen.services import gjennomforinger as service
from dokgen.web import aktor, deps
from dokgen.web.sider import skjema
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.form_errors import form_errors


def _valg() -> dict[str, list[tuple[str, str]]]:
    pakker = sorted(REGELSETT.values(), key=lambda p: p.navn)
    return {"regelsett": [(p.navn, p.beskrivelse) for p in pakker]}


def _skjema(verdier: Any, feil: list[FieldError], gjennomforing_id: int | None = None) -> Any:
    root, summary = skjema.build(
        "", verdier, feil, skjema.rows_wanted(request.form, None),
        schema=model_schema(GjennomforingInn), choices=_valg(),
    )  # fmt: skip
    if gjennomforing_id is None:
        tittel, action = "Ny gjennomføring", url_for("sider.ny_gjennomforing")
    else:
        tittel = "Endre gjennomføring"
        action = url_for("sider.endre_gjennomforing", gjennomforing_id=gjennomforing_id)
    return render_template(
        "register/skjema.html", root=root, summary=summary, tittel=tittel, action=action,
        avbryt=url_for("sider.gjennomforinger"), knapp="Lagre gjennomføringen",
    )  # fmt: skip


def _postet() -> dict[str, Any]:
    return skjema.from_form("", request.form, schema=model_schema(GjennomforingInn))


def _som_postet(feil: list[FieldError], gjennomforing_id: int | None = None) -> Any:
    return _skjema(_postet(), feil, gjennomforing_id)


@bp.get("/gjennomforinger")
def gjennomforinger() -> Any:
    """List the organisation's gjennomføringer."""
    aktor().krev("gjennomforing.skriv")
    rader = service.liste(deps(), aktor())
    return render_template("register/gjennomforinger.html", rader=rader, regelsett=REGELSETT)


@bp.route("/gjennomforinger/ny", methods=["GET", "POST"])
@form_errors(_som_postet)
def ny_gjennomforing() -> Any:
    """Create a gjennomføring; an invalid post shows the form again with every error."""
    aktor().krev("gjennomforing.skriv")
    if request.method == "GET":
        return _skjema({}, [])
    rad = service.opprett(deps(), aktor(), les(GjennomforingInn, _postet()))
    flash(f"Gjennomføringen «{rad['navn']}» er lagret.")
    return redirect(url_for("sider.gjennomforinger"))


@bp.route("/gjennomforinger/<int:gjennomforing_id>", methods=["GET", "POST"])
@form_errors(_som_postet)
def endre_gjennomforing(gjennomforing_id: int) -> Any:
    """Change a gjennomføring: the form, filled with what is stored."""
    aktor().krev("gjennomforing.skriv")
    if request.method == "GET":
        return _skjema(service.hent(deps(), aktor(), gjennomforing_id), [], gjennomforing_id)
    inn = les(GjennomforingInn, _postet())
    rad = service.endre(deps(), aktor(), gjennomforing_id, inn)
    flash(f"Gjennomføringen «{rad['navn']}» er endret.")
    return redirect(url_for("sider.gjennomforinger"))
