"""``dokgen resultatrapport``: a gjennomføring's monthly resultatrapport (JMO §9.2) written to
a spreadsheet or a sealed PDF/A, as the operator (an admin of the organisation named by
``--org``) through the service function the API calls. The format is the file's suffix.

Exit codes: 0 when the file is written, 2 for wrong input (an unknown suffix, month or
gjennomføring), 1 on failure. The file and the lines printed name no person.
"""

from __future__ import annotations

from pathlib import Path

import click

from dokgen.cli.parametre import Fil
from dokgen.cli.tilgang import _deps, _operator
from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import resultatrapport as service
from dokgen.storage.files import write_atomic


@click.command("resultatrapport")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.option("--gjennomforing", "gjennomforing_id", type=int, required=True,
              help="Gjennomføringens id.")  # fmt: skip
@click.option("--maned", "mnd", required=True, help="Måneden, ÅÅÅÅ-MM (f.eks. 2026-10).")
@click.option("-o", "--ut", type=Fil(path_type=Path), required=True,
              help="Filen: FIL.xlsx (regneark) eller FIL.pdf (forseglet PDF/A).")  # fmt: skip
def resultatrapport(orgnr: str, gjennomforing_id: int, mnd: str, ut: Path) -> None:
    """Lag resultatrapporten for en gjennomføring og måned (aktive, startet, avsluttet og
    status ved avslutning) som regneark eller forseglet PDF."""
    format_ = ut.suffix.lower().removeprefix(".")
    if format_ not in service.FORMATER:
        melding = "filen må slutte på .xlsx eller .pdf"
        raise InputInvalidError([FieldError("ut", melding)])
    deps = _deps()
    try:
        aktor = _operator(deps, orgnr)
        eksport = service.eksporter(deps, aktor, gjennomforing_id, mnd, format_)
    finally:  # the job pool and LibreOffice end with the command
        deps.jobs.close()
        close = getattr(deps.converter, "close", None)
        if close is not None:
            close()
    write_atomic(ut, eksport.innhold)
    click.echo(f"{ut}: resultatrapport for {mnd}")
