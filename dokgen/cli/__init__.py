"""The ``dokgen`` command: thin wrappers over the same functions the service calls.

Exit codes: 0 success, 2 invalid input or usage, 1 internal failure.
"""

from __future__ import annotations

import logging
import os
import sys

import click

from dokgen.cli.deltakere import deltaker, frister, gjennomforing
from dokgen.cli.demo import demo
from dokgen.cli.dokumenter import lag, maler, pdf, skjema
from dokgen.cli.errors import report_error
from dokgen.cli.faktura import ehf
from dokgen.cli.maned import maned
from dokgen.cli.parametre import bruksfeil
from dokgen.cli.praksis import praksis
from dokgen.cli.resultatrapport import resultatrapport
from dokgen.cli.serve import serve
from dokgen.cli.tilgang import bruker, org, token
from dokgen.cli.timer import timer_gruppe


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Lag rapporter, avtaler og EHF-fakturaer for tiltaksarrangører."""


cli.add_command(lag)
cli.add_command(maler)
cli.add_command(skjema)
cli.add_command(pdf)
cli.add_command(ehf)
cli.add_command(demo)
cli.add_command(serve)
cli.add_command(org)
cli.add_command(bruker)
cli.add_command(token)
cli.add_command(gjennomforing)
cli.add_command(deltaker)
cli.add_command(frister)
cli.add_command(timer_gruppe)
cli.add_command(maned)
cli.add_command(resultatrapport)
cli.add_command(praksis)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and map domain errors to exit codes (never a stack trace)."""
    logging.basicConfig(
        level=os.environ.get("DOKGEN_LOGGNIVA", "WARNING"),
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        rc = cli.main(args=argv, prog_name="dokgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:  # Click's own words are English: ours are bokmål
        click.echo(bruksfeil(exc), err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        return 1
    except Exception as exc:  # the one place that turns errors into exit codes
        return report_error(exc)
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
