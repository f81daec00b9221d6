"""The one exception hierarchy of the invoice side (no HTTP codes: callers map them)."""

from __future__ import annotations

from dataclasses import dataclass

from ehf.identifiers import mask_person_idents


@dataclass(frozen=True)
class RowError:
    """One problem in the input: a path or row reference and a bokmål message."""

    path: str
    message: str

    def __post_init__(self) -> None:
        # No error repeats a fødselsnummer, whether it came in a value, a key or a file.
        object.__setattr__(self, "path", mask_person_idents(self.path))
        object.__setattr__(self, "message", mask_person_idents(self.message))

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class EhfError(Exception):
    """Base of every error the invoice side raises on purpose."""


class GrunnlagInvalidError(EhfError):
    """The fakturagrunnlag or timeliste broke one or more rules; every error is listed."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors) or "ugyldig fakturagrunnlag")


class XmlUnsafeError(EhfError):
    """XML input carried a DTD, an entity or an external reference, or was not well-formed."""


class ProfileViolationError(EhfError):
    """A buyer profile or seller rule refused the invoice; findings are listed."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


class RulePackMissingError(EhfError):
    """The official PEPPOL/UBL artifacts were not found where the setting points."""


class RuleSetUnknownError(EhfError):
    """No billing rule set has that name."""


class TransportFailedError(EhfError):
    """The access point did not accept the document after all retries."""

    def __init__(self, reason: str, *, attempts: int = 1) -> None:
        self.reason = reason
        self.attempts = attempts
        super().__init__(reason)


class InvoiceRejectedError(EhfError):
    """An invoice with fatal validation findings was about to be sent."""


class EnvelopeInvalidError(EhfError):
    """An SBDH envelope could not be built or read (payload, identifiers or header wrong)."""


class ResponseInvalidError(EhfError):
    """A returned Invoice Response, MLR or MLS was not one we can read."""


class TransportConfigInvalidError(EhfError):
    """A transport was asked for with a missing or unsafe setting (name, URL, token, key)."""


class ValidationFailedError(EhfError):
    """The official rules could not be run on a document (the engine reported an error)."""
