"""The one error table: the API's problem+json and the CLI's exit codes read the same row."""

from __future__ import annotations

import pytest

from dokgen.cli.errors import report_error
from dokgen.errors import (
    ERROR_TABLE,
    EXIT_INNDATA,
    AccessDeniedError,
    AuditFailedError,
    ConversionFailedError,
    DocumentTypeUnknownError,
    EmailSendFailedError,
    ErrorKind,
    FieldError,
    FileMissingError,
    InputInvalidError,
    InputUnreadableError,
    LoginAmbiguousError,
    NotAuthenticatedError,
    PayloadTooLargeError,
    RecordNotFoundError,
    SigningFailedError,
    StateConflictError,
    TemplateInvalidError,
    TemplateLimitError,
    TransmissionNotFoundError,
    classify,
)
from ehf.errors import (
    GrunnlagInvalidError,
    InvoiceRejectedError,
    ProfileViolationError,
    RowError,
    TransportFailedError,
    XmlUnsafeError,
)

# One error of each row's class (a new row needs one here).
EKSEMPLER: dict[type[Exception], Exception] = {
    InputInvalidError: InputInvalidError([FieldError("navn", "mangler")]),
    GrunnlagInvalidError: GrunnlagInvalidError([RowError("rad 2", "ugyldig dato")]),
    ProfileViolationError: ProfileViolationError([RowError("BT-10", "mangler")]),
    TemplateInvalidError: TemplateInvalidError(["ukjent felt deltaker.x"]),
    InputUnreadableError: InputUnreadableError("ikke JSON"),
    XmlUnsafeError: XmlUnsafeError("DTD"),
    DocumentTypeUnknownError: DocumentTypeUnknownError("brev"),
    RecordNotFoundError: RecordNotFoundError("fant ikke dokumentet"),
    AccessDeniedError: AccessDeniedError("rollen «leser» har ikke tilgang til dette"),
    NotAuthenticatedError: NotAuthenticatedError("ukjent eller tilbakekalt token"),
    StateConflictError: StateConflictError("versjonen er låst"),
    InvoiceRejectedError: InvoiceRejectedError("BR-CO-15"),
    PayloadTooLargeError: PayloadTooLargeError("over 10 MB"),
    ConversionFailedError: ConversionFailedError("LibreOffice svarte ikke"),
    AuditFailedError: AuditFailedError("databasen svarte ikke"),
    TransportFailedError: TransportFailedError("503 fra aksesspunktet"),
    EmailSendFailedError: EmailSendFailedError("SMTP-tjeneren svarte ikke"),
    FileMissingError: FileMissingError("fil abc… mangler i lageret"),
}
BAD_INPUT = {
    InputInvalidError,
    InputUnreadableError,
    DocumentTypeUnknownError,
    GrunnlagInvalidError,
    ProfileViolationError,
    XmlUnsafeError,
}


def test_every_row_has_an_example_and_subclasses_come_before_their_bases() -> None:
    """A row after one of its base classes would never be reached."""
    klasser = [kind.error for kind in ERROR_TABLE]
    assert set(klasser) == set(EKSEMPLER)
    for i, tidlig in enumerate(klasser):
        for sen in klasser[i + 1 :]:
            assert not issubclass(sen, tidlig), f"{sen.__name__} står etter {tidlig.__name__}"


def test_bad_input_exits_2_and_every_other_domain_error_1() -> None:
    """The CLI's exit codes: 2 for input the caller must fix, 1 for the rest (STYLE)."""
    assert {k.error for k in ERROR_TABLE if k.exit_code == EXIT_INNDATA} == BAD_INPUT
    assert {k.exit_code for k in ERROR_TABLE if k.error not in BAD_INPUT} == {1}


@pytest.mark.parametrize(
    ("exc", "row"),
    [
        (TemplateLimitError("brukte for lang tid"), TemplateInvalidError),
        (TransmissionNotFoundError("abc"), RecordNotFoundError),
        (LoginAmbiguousError("flere"), NotAuthenticatedError),
    ],
)
def test_a_subclass_gets_its_base_class_row(exc: Exception, row: type[Exception]) -> None:
    kind = classify(exc)
    assert kind is not None
    assert kind.error is row


def test_an_unlisted_error_has_no_row() -> None:
    """The web answers it as an internal error; the CLI with exit code 1."""
    assert classify(SigningFailedError("feil passord")) is None
    assert classify(ValueError("x")) is None
    assert report_error(SigningFailedError("feil passord")) == 1
    assert report_error(ValueError("x")) == 1


@pytest.mark.parametrize("kind", ERROR_TABLE, ids=lambda k: k.error.__name__)
def test_the_cli_answers_from_the_row(kind: ErrorKind, capsys: pytest.CaptureFixture[str]) -> None:
    """The exit code is the row's; bad input is listed, a refused template's reasons under
    its title, any other domain error is one line."""
    assert report_error(EKSEMPLER[kind.error]) == kind.exit_code
    err = capsys.readouterr().err
    if kind.exit_code == EXIT_INNDATA:
        assert err.startswith("Ugyldige inndata:\n  - ")
    elif kind.error is TemplateInvalidError:
        assert err == "Malen kan ikke brukes:\n  - ukjent felt deltaker.x\n"
    else:
        assert err == f"Feil: {EKSEMPLER[kind.error]}\n"
