"""Which access point an organisation's invoices go to, and with whose credentials.

Three choices, made by the organisation's admin (settings ``transport``):

- ``katalog``: the instance's outbox folder;
- ``instans``: the access point the instance operator configured (``DOKGEN_AKSESSPUNKT_URL``
  with ``DOKGEN_AKSESSPUNKT_TOKEN``) — the organisation cannot change its address;
- ``egen``: the organisation's own access point: its address and its own token, the token
  stored encrypted (``dokgen.storage.crypto``) like the certificate password.

The instance's token is never paired with an address an organisation gave: an address from
an organisation's settings only ever carries that organisation's own token.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from dokgen.settings import Miljo, Settings
from dokgen.storage.crypto import decrypt
from ehf.errors import TransportConfigInvalidError
from ehf.transport import HttpTransport, KatalogTransport, Transport

KATALOG, INSTANS, EGEN = "katalog", "instans", "egen"
VALG = (KATALOG, INSTANS, EGEN)
MAKS_URL = 500
MAKS_TOKEN = 4096
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _utvikling(settings: Settings) -> bool:
    return settings.miljo is Miljo.UTVIKLING


def valgt(settings: Settings, innstillinger: dict[str, Any]) -> str:
    """Return the organisation's choice (``katalog``, ``instans`` or ``egen``).

    Without a choice: ``instans`` when the operator configured an access point, else
    ``katalog``. Settings saved before the choices existed said ``http`` with an address:
    an address other than the instance's is the organisation's own (and needs its own token).
    """
    transport = innstillinger.get("transport")
    if transport in VALG:
        return str(transport)
    if transport == "http":
        url = innstillinger.get("aksesspunkt_url") or ""
        return INSTANS if url in ("", settings.aksesspunkt_url) else EGEN
    return INSTANS if settings.aksesspunkt_url else KATALOG


def url_feil(settings: Settings, url: str) -> str | None:
    """Return what is wrong with an organisation's access-point address (bokmål), or None.

    https only; plain http on the loopback address only in ``utvikling`` (tests and demo).
    In ``produksjon`` an address given as an IP must be public (the connection is checked
    again when sending, whatever the name resolves to then).
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    lokal = _utvikling(settings) and host in _LOOPBACK
    if len(url) > MAKS_URL or not host or parts.scheme not in ("https", "http"):
        return "oppgi en adresse som starter med https://, f.eks. https://ap.eksempel.no/send"
    if parts.scheme != "https" and not lokal:
        return "adressen må starte med https:// (tokenet skal ikke sendes ukryptert)"
    if parts.username or parts.password:
        return "adressen skal ikke inneholde brukernavn eller passord; token oppgis eget felt"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not _utvikling(settings) and not address.is_global:
        return "adressen peker til et internt nett; oppgi aksesspunktets offentlige adresse"
    return None


def transport_for(
    settings: Settings,
    innstillinger: dict[str, Any],
    on_retry: Callable[[int, str, float], None] | None = None,
) -> Transport:
    """Return the transport of the organisation's choice.

    Raises:
        TransportConfigInvalidError: the choice cannot be used (no instance access point,
            the organisation's own address or token missing or unusable).
        SettingsInvalidError: the stored token cannot be decrypted (instance secret changed).
    """
    valg = valgt(settings, innstillinger)
    if valg == KATALOG:
        return KatalogTransport(settings.utboks_dir)
    if valg == INSTANS:
        if not settings.aksesspunkt_url:
            raise TransportConfigInvalidError(
                "tjenesten har ikke noe aksesspunkt; en admin må velge et annet i innstillingene"
            )
        return _http(settings, settings.aksesspunkt_url, settings.aksesspunkt_token, on_retry)
    url = str(innstillinger.get("aksesspunkt_url") or "")
    kryptert = innstillinger.get("aksesspunkt_token")
    if not url or not kryptert:
        raise TransportConfigInvalidError(
            "organisasjonens eget aksesspunkt mangler adresse eller token; en admin må legge "
            "dem inn i innstillingene"
        )
    if feil := url_feil(settings, url):
        raise TransportConfigInvalidError(f"aksesspunktets adresse: {feil}")
    token = decrypt(settings, str(kryptert))
    return _http(settings, url, token, on_retry, public_only=not _utvikling(settings))


def _http(
    settings: Settings,
    url: str,
    token: str | None,
    on_retry: Callable[[int, str, float], None] | None,
    *,
    public_only: bool = False,
) -> HttpTransport:
    return HttpTransport(
        url,
        token or "",
        timeout=settings.send_tidsgrense,
        retries=max(0, settings.send_forsok - 1),
        backoff=settings.send_pause,
        on_retry=on_retry,
        public_only=public_only,
    )
