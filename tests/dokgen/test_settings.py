"""Settings come from DOKGEN_* variables, with safe defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from dokgen.errors import SettingsInvalidError
from dokgen.settings import Miljo, Settings


def test_defaults_are_development() -> None:
    s = Settings.from_env({})
    assert s.miljo is Miljo.UTVIKLING
    assert s.tillat_syntetiske
    assert s.referanse_peppol.parts[-3:] == ("shared", "reference", "peppol")


def test_production_refuses_synthetic(tmp_path: Path) -> None:
    s = Settings.from_env({"DOKGEN_MILJO": "produksjon", "DOKGEN_INSTANS": str(tmp_path)})
    assert s.miljo is Miljo.PRODUKSJON
    assert not s.tillat_syntetiske
    assert s.utboks_dir == tmp_path / "utboks"


def test_bad_values_explained() -> None:
    with pytest.raises(SettingsInvalidError, match="utvikling"):
        Settings.from_env({"DOKGEN_MILJO": "test"})
    with pytest.raises(SettingsInvalidError, match="tall"):
        Settings.from_env({"DOKGEN_KONVERTERING_TIDSGRENSE": "lenge"})


def test_oidc_is_off_unless_all_three_are_given() -> None:
    """OIDC login needs issuer, client id and secret; a part of them is an error."""
    assert not Settings.from_env({}).oidc_aktiv
    with pytest.raises(SettingsInvalidError, match="DOKGEN_OIDC_KLIENT_HEMMELIGHET"):
        Settings.from_env(
            {
                "DOKGEN_OIDC_UTSTEDER": "https://login.microsoftonline.com/t/v2.0",
                "DOKGEN_OIDC_KLIENT_ID": "klient",
            }
        )
    with pytest.raises(SettingsInvalidError, match="https"):
        Settings.from_env(
            {
                "DOKGEN_OIDC_UTSTEDER": "http://login.example/t",
                "DOKGEN_OIDC_KLIENT_ID": "klient",
                "DOKGEN_OIDC_KLIENT_HEMMELIGHET": "hemmelig-verdi-42",
            }
        )


def test_oidc_settings_keep_the_secret_out_of_repr() -> None:
    """The client secret is read but never shown; the button has a default text."""
    s = Settings.from_env(
        {
            "DOKGEN_OIDC_UTSTEDER": "https://login.microsoftonline.com/t/v2.0",
            "DOKGEN_OIDC_KLIENT_ID": "klient",
            "DOKGEN_OIDC_KLIENT_HEMMELIGHET": "hemmelig-verdi-42",
        }
    )
    assert s.oidc_aktiv
    assert s.oidc_klient_hemmelighet == "hemmelig-verdi-42"
    assert "hemmelig-verdi-42" not in repr(s)
    assert "login.microsoftonline.com" in repr(s)
    assert s.oidc_navn == "Logg inn med Microsoft"
    lokal = Settings.from_env(
        {
            "DOKGEN_OIDC_UTSTEDER": "http://127.0.0.1:8081",
            "DOKGEN_OIDC_KLIENT_ID": "klient",
            "DOKGEN_OIDC_KLIENT_HEMMELIGHET": "x",
            "DOKGEN_OIDC_NAVN": "Logg inn med jobbkonto",
        }
    )
    assert (lokal.oidc_utsteder, lokal.oidc_navn) == (
        "http://127.0.0.1:8081",
        "Logg inn med jobbkonto",
    )


def test_web_processes_default_to_the_cores_up_to_four(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert Settings.from_env({}).webprosesser == 2
    monkeypatch.setattr("os.cpu_count", lambda: 16)
    assert Settings.from_env({}).webprosesser == 4
    assert Settings.from_env({"DOKGEN_WEBPROSESSER": "3"}).webprosesser == 3
    assert Settings.from_env({"DOKGEN_WEBPROSESSER": "0"}).webprosesser == 1
    with pytest.raises(SettingsInvalidError, match="tall"):
        Settings.from_env({"DOKGEN_WEBPROSESSER": "mange"})


def test_smtp_is_on_with_a_server_and_a_sender_and_its_password_is_not_shown() -> None:
    """E-mail (set-password links) needs DOKGEN_SMTP_VERT and DOKGEN_SMTP_AVSENDER;
    STARTTLS is on unless turned off with «nei»; the SMTP password stays out of repr."""
    assert not Settings.from_env({}).smtp_aktiv
    assert not Settings.from_env({"DOKGEN_SMTP_VERT": "smtp.eksempel.no"}).smtp_aktiv
    s = Settings.from_env(
        {
            "DOKGEN_SMTP_VERT": "smtp.eksempel.no",
            "DOKGEN_SMTP_AVSENDER": "dokgen@eksempel.no",
            "DOKGEN_SMTP_BRUKER": "dokgen",
            "DOKGEN_SMTP_PASSORD": "smtp-hemmelighet",
            "DOKGEN_OFFENTLIG_URL": "https://dokgen.eksempel.no/",
        }
    )
    assert (s.smtp_aktiv, s.smtp_port, s.smtp_starttls) == (True, 587, True)
    assert s.offentlig_url == "https://dokgen.eksempel.no/"
    assert "smtp-hemmelighet" not in repr(s)
    lokal = Settings.from_env({"DOKGEN_SMTP_PORT": "25", "DOKGEN_SMTP_STARTTLS": "nei"})
    assert (lokal.smtp_port, lokal.smtp_starttls) == (25, False)
    with pytest.raises(SettingsInvalidError, match="DOKGEN_SMTP_STARTTLS må være «ja» eller «nei»"):
        Settings.from_env({"DOKGEN_SMTP_STARTTLS": "kanskje"})


def test_template_time_limit_is_read_and_kept_positive() -> None:
    """DOKGEN_MAL_TIDSGRENSE: 5 s by default; 0 would refuse every template, so 0.1 at least."""
    assert Settings.from_env({}).mal_tidsgrense == 5.0
    assert Settings.from_env({"DOKGEN_MAL_TIDSGRENSE": "2.5"}).mal_tidsgrense == 2.5
    assert Settings.from_env({"DOKGEN_MAL_TIDSGRENSE": "0"}).mal_tidsgrense == 0.1
    with pytest.raises(SettingsInvalidError, match="tall"):
        Settings.from_env({"DOKGEN_MAL_TIDSGRENSE": "lenge"})


def test_seal_font_is_read_and_defaults_to_none() -> None:
    """DOKGEN_SEGL_SKRIFT names the seal's font file; unset, the sealer finds Liberation Sans."""
    assert Settings.from_env({}).segl_skrift is None
    env = {"DOKGEN_SEGL_SKRIFT": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"}
    assert Settings.from_env(env).segl_skrift == Path(env["DOKGEN_SEGL_SKRIFT"])


PG = "postgresql+psycopg://dokgen@db.example/dokgen"


def test_the_file_store_follows_the_database_unless_chosen() -> None:
    """DOKGEN_FILLAGER: disk on SQLite and postgres on PostgreSQL by default; s3 when chosen,
    with its bucket, and its keys kept out of repr."""
    assert Settings.from_env({}).lager == "disk"
    assert Settings.from_env({"DOKGEN_DATABASE_URL": PG}).lager == "postgres"
    assert Settings(database_url=PG).lager == "postgres"
    assert Settings.from_env({"DOKGEN_DATABASE_URL": PG, "DOKGEN_FILLAGER": "disk"}).lager == (
        "disk"
    )
    s3 = Settings.from_env(
        {
            "DOKGEN_FILLAGER": "s3",
            "DOKGEN_S3_URL": "http://127.0.0.1:9000",
            "DOKGEN_S3_BOTTE": "dokgen-filer",
            "DOKGEN_S3_REGION": "eu-north-1",
            "DOKGEN_S3_NOKKEL_ID": "AKIA-NOKKEL-ID",
            "DOKGEN_S3_HEMMELIG_NOKKEL": "hemmelig-s3-nokkel",
        }
    )
    assert (s3.lager, s3.s3_url, s3.s3_botte, s3.s3_region) == (
        "s3",
        "http://127.0.0.1:9000",
        "dokgen-filer",
        "eu-north-1",
    )
    assert "AKIA-NOKKEL-ID" not in repr(s3)
    assert "hemmelig-s3-nokkel" not in repr(s3)


def test_a_file_store_that_cannot_work_is_refused_at_start() -> None:
    """An unknown store, postgres on SQLite and s3 without a bucket are explained."""
    with pytest.raises(SettingsInvalidError, match="en av: disk, postgres, s3"):
        Settings.from_env({"DOKGEN_FILLAGER": "nfs"})
    with pytest.raises(SettingsInvalidError, match="PostgreSQL-database"):
        Settings.from_env({"DOKGEN_FILLAGER": "postgres"})
    with pytest.raises(SettingsInvalidError, match="DOKGEN_S3_BOTTE"):
        Settings.from_env({"DOKGEN_FILLAGER": "s3"})
