"""The instance's secret, and encryption at rest of the few secrets the database must hold
(an organisation's certificate password), with Fernet (AES-128-CBC + HMAC) from cryptography.

The key is derived from the instance secret (``DOKGEN_HEMMELIG_NOKKEL``, else a file in the
instance folder, or on PostgreSQL a row every node shares) with HKDF under its own label, so it
is not the session-signing key.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.engine import Engine

from dokgen.errors import SettingsInvalidError
from dokgen.settings import Settings
from dokgen.storage import instansnokler
from dokgen.storage.db import make_engine
from dokgen.storage.files import create_once


def instance_secret(settings: Settings, engine: Engine | None = None) -> str:
    """Return the instance secret: from the settings, else made once and kept.

    On SQLite it is a file in the instance folder. On PostgreSQL it is the database's
    ``instansnokkel`` row, so every node has the same (a node's existing file becomes that
    row if the database has none yet); :func:`dokgen.bootstrap.make_deps` reads it once and
    puts it in its settings.

    Args:
        engine: The (migrated) PostgreSQL database; None opens one for this call.
    """
    if settings.hemmelig_nokkel:
        return settings.hemmelig_nokkel
    path = settings.instans / "hemmelig_nokkel"

    def make() -> bytes:
        return secrets.token_hex(32).encode()

    if not settings.postgres:
        return create_once(path, make).decode().strip()
    db = engine or make_engine(settings.database)
    try:
        made = instansnokler.from_file_or(path, make)
        return instansnokler.create_once(db, instansnokler.HEMMELIG_NOKKEL, made).decode().strip()
    finally:
        if engine is None:
            db.dispose()


def _fernet(settings: Settings) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"dokgen:hemmeligheter:v1"
    ).derive(instance_secret(settings).encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(settings: Settings, text: str) -> str:
    """Encrypt a secret for storage."""
    return _fernet(settings).encrypt(text.encode()).decode()


def decrypt(settings: Settings, token: str) -> str:
    """Decrypt a stored secret.

    Raises:
        SettingsInvalidError: the instance secret changed since it was stored.
    """
    try:
        return _fernet(settings).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SettingsInvalidError(
            "en lagret hemmelighet kan ikke leses: instansens hemmelige nøkkel er byttet"
        ) from None
