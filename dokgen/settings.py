"""Typed, frozen settings read once from ``DOKGEN_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from dokgen.errors import SettingsInvalidError

_REPO_ROOT = Path(__file__).resolve().parent.parent


class Miljo(StrEnum):
    """Where the service runs: development accepts synthetic identities, production does not."""

    UTVIKLING = "utvikling"
    PRODUKSJON = "produksjon"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read from the environment by :meth:`from_env`."""

    miljo: Miljo = Miljo.UTVIKLING
    referanse_peppol: Path = _REPO_ROOT.parent / "shared" / "reference" / "peppol"
    instans: Path = Path("instans")
    maler_dir: Path = _REPO_ROOT / "maler"
    sertifikat: Path | None = None
    sertifikat_passord: str | None = field(default=None, repr=False)
    tidsstempel_url: str | None = None
    segl_skrift: Path | None = None  # the seal's font file; None: Liberation Sans from Debian
    konvertering_tidsgrense: float = 60.0
    mal_tidsgrense: float = 5.0
    konverterere: int = 1
    utboks: Path | None = None
    aksesspunkt_url: str | None = None
    aksesspunkt_token: str | None = field(default=None, repr=False)
    database_url: str | None = field(default=None, repr=False)
    arbeidere: int = 2
    maks_opplasting_mb: float = 10.0
    hemmelig_nokkel: str | None = field(default=None, repr=False)
    api_ventetid: float = 30.0
    samtidige: int = 2
    webprosesser: int = field(default_factory=lambda: min(os.cpu_count() or 1, 4))
    jobbmodus: str = "prosess"
    # Where jobs are queued: "lokal" (this process's pool) or "postgres" (any node takes
    # any node's work, dokgen.runtime.pgko); None: "postgres" on PostgreSQL, else "lokal".
    jobbko: str | None = None
    send_forsok: int = 4
    send_pause: float = 2.0
    send_tidsgrense: float = 10.0
    jobb_leie: float = 30.0  # seconds a job holds its record without renewing
    oidc_utsteder: str | None = None
    oidc_klient_id: str | None = None
    oidc_klient_hemmelighet: str | None = field(default=None, repr=False)
    oidc_navn: str = "Logg inn med Microsoft"
    oidc_svar_url: str | None = None
    # ID-porten (or another OpenID provider for citizens): a party may log in with it on an
    # approval link instead of the one-time code.
    idporten_utsteder: str | None = None
    idporten_klient_id: str | None = None
    idporten_klient_hemmelighet: str | None = field(default=None, repr=False)
    godkjenningslenke_dager: int = 14
    smtp_vert: str | None = None
    smtp_port: int = 587
    smtp_avsender: str | None = None
    smtp_bruker: str | None = None
    smtp_passord: str | None = field(default=None, repr=False)
    smtp_starttls: bool = True
    offentlig_url: str | None = None
    # Reverse proxies in front that append to X-Forwarded-For; 0: the peer is the client.
    proxyer: int = 0
    # Where generated and uploaded files are kept: disk | postgres | s3; None: disk on SQLite,
    # postgres on PostgreSQL (see :attr:`lager`).
    fillager: str | None = None
    s3_url: str | None = None  # the S3-compatible server; None: AWS itself
    s3_botte: str | None = None
    s3_region: str | None = None
    s3_nokkel_id: str | None = field(default=None, repr=False)
    s3_hemmelig_nokkel: str | None = field(default=None, repr=False)

    @property
    def smtp_aktiv(self) -> bool:
        """E-mail can be sent (set-password links): a server and a sender are configured."""
        return bool(self.smtp_vert and self.smtp_avsender)

    @property
    def idporten_aktiv(self) -> bool:
        """Whether parties may log in with ID-porten on an approval link."""
        return bool(
            self.idporten_utsteder and self.idporten_klient_id and self.idporten_klient_hemmelighet
        )

    @property
    def oidc_aktiv(self) -> bool:
        """Login through an OpenID Connect provider is offered beside the password."""
        return bool(self.oidc_utsteder and self.oidc_klient_id and self.oidc_klient_hemmelighet)

    @property
    def tillat_syntetiske(self) -> bool:
        """Synthetic test identities (Tenor +80, NAV +40) are accepted outside production."""
        return self.miljo is Miljo.UTVIKLING

    @property
    def utboks_dir(self) -> Path:
        """Outbox folder of the ``katalog`` transport."""
        return self.utboks or self.instans / "utboks"

    @property
    def database(self) -> str:
        """Database URL: ``DOKGEN_DATABASE_URL`` or SQLite in the instance folder."""
        return self.database_url or f"sqlite:///{self.instans / 'dokgen.db'}"

    @property
    def delt_ko(self) -> bool:
        """Jobs are shared between the nodes through PostgreSQL (see ``jobbko``)."""
        if self.jobbko is not None:
            return self.jobbko == "postgres"
        return self.postgres

    @property
    def postgres(self) -> bool:
        """Whether the database is PostgreSQL (else SQLite in the instance folder)."""
        return self.database_url is not None and urlsplit(self.database_url).scheme.startswith(
            "postgresql"
        )

    @property
    def lager(self) -> str:
        """The file store in use: ``DOKGEN_FILLAGER``, else ``disk`` on SQLite and
        ``postgres`` on PostgreSQL (where the nodes share nothing else)."""
        return self.fillager or ("postgres" if self.postgres else "disk")

    @property
    def filer_dir(self) -> Path:
        """Folder of the content-addressed file store."""
        return self.instans / "filer"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``DOKGEN_*`` variables.

        Raises:
            SettingsInvalidError: a variable has a value that cannot be used.
        """
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(f"DOKGEN_{name}")
            return value if value not in (None, "") else None

        defaults = cls()
        try:
            miljo = Miljo(get("MILJO") or defaults.miljo.value)
        except ValueError:
            raise SettingsInvalidError(
                "DOKGEN_MILJO må være «utvikling» eller «produksjon»"
            ) from None
        return cls(
            miljo=miljo,
            referanse_peppol=_path(get("REFERANSE_PEPPOL")) or defaults.referanse_peppol,
            instans=_path(get("INSTANS")) or defaults.instans.resolve(),
            maler_dir=_path(get("MALER_DIR")) or defaults.maler_dir,
            sertifikat=_path(get("SERTIFIKAT")),
            sertifikat_passord=get("SERTIFIKAT_PASSORD"),
            tidsstempel_url=get("TIDSSTEMPEL_URL"),
            segl_skrift=_path(get("SEGL_SKRIFT")),
            konvertering_tidsgrense=_number(get("KONVERTERING_TIDSGRENSE"), 60.0),
            mal_tidsgrense=max(0.1, _number(get("MAL_TIDSGRENSE"), 5.0)),
            konverterere=int(_number(get("KONVERTERERE"), 1)),
            utboks=_path(get("UTBOKS")),
            aksesspunkt_url=get("AKSESSPUNKT_URL"),
            aksesspunkt_token=get("AKSESSPUNKT_TOKEN"),
            database_url=get("DATABASE_URL"),
            arbeidere=int(_number(get("ARBEIDERE"), 2)),
            maks_opplasting_mb=_number(get("MAKS_OPPLASTING_MB"), 10.0),
            hemmelig_nokkel=get("HEMMELIG_NOKKEL"),
            api_ventetid=_number(get("API_VENTETID"), 30.0),
            samtidige=max(1, int(_number(get("SAMTIDIGE"), 2))),
            webprosesser=max(1, int(_number(get("WEBPROSESSER"), defaults.webprosesser))),
            jobbmodus=_choice(get("JOBBMODUS"), ("prosess", "traad"), "JOBBMODUS"),
            jobbko=_jobbko(get("JOBBKO"), get("DATABASE_URL")),
            send_forsok=max(1, int(_number(get("SEND_FORSOK"), 4))),
            send_pause=_number(get("SEND_PAUSE"), 2.0),
            send_tidsgrense=_number(get("SEND_TIDSGRENSE"), 10.0),
            jobb_leie=max(1.0, _number(get("JOBB_LEIE"), 30.0)),
            oidc_utsteder=_oidc(get),
            oidc_klient_id=get("OIDC_KLIENT_ID"),
            oidc_klient_hemmelighet=get("OIDC_KLIENT_HEMMELIGHET"),
            oidc_navn=get("OIDC_NAVN") or defaults.oidc_navn,
            oidc_svar_url=get("OIDC_SVAR_URL"),
            idporten_utsteder=_oidc(get, "IDPORTEN"),
            idporten_klient_id=get("IDPORTEN_KLIENT_ID"),
            idporten_klient_hemmelighet=get("IDPORTEN_KLIENT_HEMMELIGHET"),
            godkjenningslenke_dager=max(1, int(_number(get("GODKJENNINGSLENKE_DAGER"), 14))),
            smtp_vert=get("SMTP_VERT"),
            smtp_port=int(_number(get("SMTP_PORT"), 587)),
            smtp_avsender=get("SMTP_AVSENDER"),
            smtp_bruker=get("SMTP_BRUKER"),
            smtp_passord=get("SMTP_PASSORD"),
            smtp_starttls=_yes_no(get("SMTP_STARTTLS"), True, "SMTP_STARTTLS"),
            offentlig_url=get("OFFENTLIG_URL"),
            proxyer=max(0, int(_number(get("PROXYER"), 0))),
            fillager=_fillager(get("FILLAGER"), get("DATABASE_URL"), get("S3_BOTTE")),
            s3_url=get("S3_URL"),
            s3_botte=get("S3_BOTTE"),
            s3_region=get("S3_REGION"),
            s3_nokkel_id=get("S3_NOKKEL_ID"),
            s3_hemmelig_nokkel=get("S3_HEMMELIG_NOKKEL"),
        )


def _jobbko(value: str | None, database_url: str | None) -> str | None:
    """Return the job queue asked for (None: chosen by the database).

    Raises:
        SettingsInvalidError: an unknown queue, or the PostgreSQL queue without PostgreSQL.
    """
    if value is None:
        return None
    if value not in ("lokal", "postgres"):
        raise SettingsInvalidError("DOKGEN_JOBBKO må være «lokal» eller «postgres»")
    if value == "postgres" and not (database_url or "").startswith("postgresql"):
        raise SettingsInvalidError(
            "DOKGEN_JOBBKO=postgres trenger DOKGEN_DATABASE_URL til en PostgreSQL-database"
        )
    return value


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser().resolve() if value else None


_OIDC = ("UTSTEDER", "KLIENT_ID", "KLIENT_HEMMELIGHET")
_LOKALE = ("127.0.0.1", "localhost", "::1")


def _oidc(get: Callable[[str], str | None], prefix: str = "OIDC") -> str | None:
    """Return an OIDC issuer once all three of its settings are given (or none of them):
    ``DOKGEN_OIDC_*`` for staff, ``DOKGEN_IDPORTEN_*`` for parties on approval links.

    Raises:
        SettingsInvalidError: only some are given, or the issuer is not https (loopback aside).
    """
    names = [f"{prefix}_{name}" for name in _OIDC]
    missing = [f"DOKGEN_{name}" for name in names if get(name) is None]
    if len(missing) == len(_OIDC):
        return None
    if missing:
        hva = "OIDC-innlogging" if prefix == "OIDC" else "ID-porten-innlogging"
        raise SettingsInvalidError(f"{hva} mangler {', '.join(missing)}")
    utsteder = get(names[0]) or ""
    parts = urlsplit(utsteder)
    if not parts.hostname or (parts.scheme != "https" and parts.hostname not in _LOKALE):
        raise SettingsInvalidError(f"DOKGEN_{names[0]} må være en https-adresse")
    return utsteder


FILLAGER = ("disk", "postgres", "s3")


def _fillager(value: str | None, database_url: str | None, botte: str | None) -> str | None:
    """Return the chosen file store (None: by the database), checked against what it needs.

    Raises:
        SettingsInvalidError: an unknown store, ``postgres`` without a PostgreSQL database, or
            ``s3`` without a bucket.
    """
    if value is None:
        return None
    lager = _choice(value, FILLAGER, "FILLAGER")
    if lager == "postgres" and not (database_url or "").startswith("postgresql"):
        raise SettingsInvalidError(
            "DOKGEN_FILLAGER=postgres krever at DOKGEN_DATABASE_URL er en PostgreSQL-database"
        )
    if lager == "s3" and botte is None:
        raise SettingsInvalidError("DOKGEN_FILLAGER=s3 krever DOKGEN_S3_BOTTE")
    return lager


def _choice(value: str | None, allowed: tuple[str, ...], name: str) -> str:
    if value is None:
        return allowed[0]
    if value not in allowed:
        raise SettingsInvalidError(f"DOKGEN_{name} må være en av: {', '.join(allowed)}")
    return value


def _yes_no(value: str | None, default: bool, name: str) -> bool:
    if value is None:
        return default
    if value.lower() not in ("ja", "nei"):
        raise SettingsInvalidError(f"DOKGEN_{name} må være «ja» eller «nei»")
    return value.lower() == "ja"


def _number(value: str | None, default: float) -> float:
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise SettingsInvalidError(f"ikke et tall: {value!r}") from None
