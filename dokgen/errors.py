"""The one exception hierarchy of the document side.

Rule: raise when the caller must act; log when the code recovered by itself. Exceptions carry
data (paths, messages), never HTTP codes: :data:`ERROR_TABLE` classifies them once, and the
API, the pages and the CLI all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ehf.errors import (
    EhfError,
    GrunnlagInvalidError,
    InvoiceRejectedError,
    ProfileViolationError,
    TransportFailedError,
    XmlUnsafeError,
)
from ehf.identifiers import mask_person_idents


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field: dotted path and a bokmål message."""

    path: str
    message: str

    def __post_init__(self) -> None:
        # No error repeats a fødselsnummer, whether it came in a value, a key or a file.
        object.__setattr__(self, "path", mask_person_idents(self.path))
        object.__setattr__(self, "message", mask_person_idents(self.message))

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DokgenError(Exception):
    """Base of every error the document side raises on purpose."""


class InputInvalidError(DokgenError):
    """Input data broke one or more rules; every error is listed."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors) or "ugyldige data")


class InputUnreadableError(DokgenError):
    """Input could not be read at all (malformed JSON/XML, unsafe XML, unknown format)."""


class DocumentTypeUnknownError(DokgenError):
    """The named document type does not exist."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name
        super().__init__(f"ukjent dokumenttype: {type_name}")


class TemplateInvalidError(DokgenError):
    """A DOCX template does not fit its model or is unsafe; reasons are listed."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons))

    def __reduce__(self) -> tuple[type, tuple[list[str]]]:
        # Pickled whole: a template's check or fill runs in a child process.
        return type(self), (self.reasons,)


class TemplateLimitError(TemplateInvalidError):
    """A template passed a limit (time, loop rounds, output, value size, memory) and was
    stopped; ``what`` says which, in bokmål ("brukte for lang tid (over 5 sekunder)")."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__([f"malen {what} og ble stoppet"])

    def __reduce__(self) -> tuple[type, tuple[str]]:  # type: ignore[override]
        return type(self), (self.what,)


class ConversionFailedError(DokgenError):
    """LibreOffice did not turn the DOCX into a PDF (crash, hang or error)."""


class SigningFailedError(DokgenError):
    """The PDF could not be sealed (certificate missing, unreadable or wrong password)."""


class CertificateRefusedError(SigningFailedError):
    """A PKCS#12 file refused before it was opened: too large, or asking for too many key
    derivation rounds (or too long to open); the message says which, fit to show."""


class SettingsInvalidError(DokgenError):
    """A DOKGEN_* setting is missing or wrong."""


class FileMissingError(DokgenError):
    """A stored file the database refers to is not on disk."""


class RecordNotFoundError(DokgenError):
    """No such record in the caller's organisation (another organisation's looks the same)."""


class TransmissionNotFoundError(RecordNotFoundError):
    """An answer refers to an SBDH InstanceIdentifier the caller's organisation never sent."""

    def __init__(self, instans_id: str) -> None:
        self.instans_id = instans_id
        melding = f"fant ingen sending med instans-id {instans_id[:80] or '(tom)'}"
        self.errors = [FieldError("svar", melding)]
        super().__init__(melding)


class AccessDeniedError(DokgenError):
    """The caller's role may not do this."""


class NotAuthenticatedError(DokgenError):
    """No valid login session or API token."""


class LoginAmbiguousError(NotAuthenticatedError):
    """The name and password fit users of more than one organisation."""


class StateConflictError(DokgenError):
    """The record is not in a state that allows this (e.g. approving a locked version)."""


class PayloadTooLargeError(DokgenError):
    """An upload is over the size limit."""


class IdentityProviderFailedError(DokgenError):
    """Login through the OpenID Connect provider failed: refused, invalid or unreachable.

    Carries a bokmål message fit to show and whether the provider could not be reached; never
    a token, a code or the provider's own description.
    """

    def __init__(self, melding: str, *, utilgjengelig: bool = False) -> None:
        self.melding = melding
        self.utilgjengelig = utilgjengelig
        super().__init__(melding)


class AuditFailedError(DokgenError):
    """A read's audit line could not be written, so the read is refused."""


class EmailSendFailedError(DokgenError):
    """The SMTP server could not be reached or refused the message; nothing was sent.

    Carries a bokmål reason fit to show; never the message's content (a link is a secret).
    """

    def __init__(self, melding: str) -> None:
        self.melding = melding
        super().__init__(melding)


# CLI exit codes: a domain error the caller can do nothing about here, and bad input or usage.
EXIT_FEIL, EXIT_INNDATA = 1, 2


@dataclass(frozen=True)
class ErrorKind:
    """How one class of error is answered: HTTP status and problem ``title`` (API and pages),
    and the CLI's exit code."""

    error: type[Exception]
    status: int
    title: str
    exit_code: int = EXIT_FEIL


# The first match wins, so subclasses come first. A domain error not listed here is an
# internal error to the web (500, traceback logged) and exit code 1 with its message to the CLI.
ERROR_TABLE: tuple[ErrorKind, ...] = (
    ErrorKind(InputInvalidError, 422, "Ugyldige data", EXIT_INNDATA),
    ErrorKind(GrunnlagInvalidError, 422, "Ugyldig fakturagrunnlag", EXIT_INNDATA),
    ErrorKind(ProfileViolationError, 422, "Fakturaen bryter kjøperens krav", EXIT_INNDATA),
    ErrorKind(TemplateInvalidError, 422, "Malen kan ikke brukes"),
    ErrorKind(InputUnreadableError, 400, "Kan ikke lese inndata", EXIT_INNDATA),
    ErrorKind(XmlUnsafeError, 400, "Utrygg eller ugyldig XML", EXIT_INNDATA),
    ErrorKind(DocumentTypeUnknownError, 404, "Ukjent dokumenttype", EXIT_INNDATA),
    ErrorKind(RecordNotFoundError, 404, "Finnes ikke"),
    ErrorKind(AccessDeniedError, 403, "Ingen tilgang"),
    ErrorKind(NotAuthenticatedError, 401, "Ikke innlogget"),
    ErrorKind(StateConflictError, 409, "Ikke mulig nå"),
    ErrorKind(InvoiceRejectedError, 409, "Fakturaen har feil og sendes ikke"),
    ErrorKind(PayloadTooLargeError, 413, "For stor fil"),
    ErrorKind(ConversionFailedError, 503, "PDF-konverteringen feilet"),
    ErrorKind(AuditFailedError, 503, "Revisjonsloggen er utilgjengelig"),
    ErrorKind(TransportFailedError, 502, "Aksesspunktet tok ikke imot"),
    ErrorKind(EmailSendFailedError, 502, "E-posten ble ikke sendt"),
    ErrorKind(FileMissingError, 500, "Intern feil"),
)


def classify(exc: BaseException) -> ErrorKind | None:
    """Return the table's row for an error, or None when it is not listed."""
    return next((kind for kind in ERROR_TABLE if isinstance(exc, kind.error)), None)


def is_domain_error(exc: BaseException) -> bool:
    """Return whether an error was raised on purpose by dokgen or ehf (its message is fit to
    show), as opposed to a bug."""
    return isinstance(exc, DokgenError | EhfError)
