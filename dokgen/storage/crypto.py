"""The instance's secret, and encryption at rest of the few secrets the database must hold
(an organisation's certificate password), with Fernet (AES-128-CBC + HMAC) from cryptography.

The key is derived from the instance secret (``DOKGEN_HEMMELIG_NOKKEL``, else a file in the
instance folder) with HKDF under its own label, so it is not the session-signing key.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dokgen.errors import SettingsInvalidError
from dokgen.settings import Settings
from dokgen.storage.files import create_once


def instance_secret(settings: Settings) -> str:
    """Return the instance secret: from the settings, else a file kept in the instance."""
    if settings.hemmelig_nokkel:
        return settings.hemmelig_nokkel
    path = settings.instans / "hemmelig_nokkel"
    return create_once(path, lambda: secrets.token_hex(32).encode()).decode().strip()


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
