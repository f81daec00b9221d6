"""Validation findings in plain bokmål: what each rule means and what to do.

:data:`FORKLARINGER` is data, one row per rule this product's own input can break: the
official rules (EN 16931 ``BR-*``, PEPPOL ``PEPPOL-EN16931-R*``, the Norwegian ``NO-R-*``)
on what the settings, the gjennomføring's set-up and the hours put into an invoice, and the
buyer profile's own rules (:mod:`ehf.profiles`: ``NAV-*``, ``SELGER-*``, ``PEPPOL-01``). A
finding of any other rule is shown with its rule id and the official text. The XPath a
finding points at is for the technically curious: pages show it only behind "Tekniske
detaljer".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_INNSTILLINGER = "Rett det under Innstillinger → Selger på fakturaene, og lag fakturaen på nytt."
_AVTALE = "Rett det i gjennomføringens fakturaoppsett, og lag fakturaen på nytt."
_KONTAKT = (
    "Dette skal ikke skje med fakturaer laget her. Ta kontakt med den som drifter dokgen, og "
    "oppgi fakturanummeret."
)

# rule id → (what it means, what to do)
FORKLARINGER: dict[str, tuple[str, str]] = {
    # Buyer reference, order reference, addresses (PEPPOL)
    "PEPPOL-EN16931-R003": (
        "Fakturaen mangler både kjøpers referanse («Deres referanse») og bestillingsnummer. "
        "Kjøperen trenger en av dem for å finne ut hvem som har bestilt.",
        "Fyll inn «Deres referanse» (for NAV: bestillerreferansen, f.eks. ABC1234). " + _AVTALE,
    ),
    "PEPPOL-EN16931-R010": (
        "Kjøperens elektroniske adresse (organisasjonsnummeret i PEPPOL) mangler.",
        "Fyll inn kjøperens organisasjonsnummer. " + _AVTALE,
    ),
    "PEPPOL-EN16931-R020": (
        "Vår egen elektroniske adresse (organisasjonsnummeret i PEPPOL) mangler.",
        "Fyll inn organisasjonsnummeret. " + _INNSTILLINGER,
    ),
    "PEPPOL-EN16931-R008": (
        "Fakturaen har et tomt felt. Det skjer når et felt i innstillingene bare har mellomrom.",
        "Se over at alle utfylte felt i innstillingene og fakturaoppsettet har innhold.",
    ),
    "PEPPOL-EN16931-R002": (
        "Fakturaen har mer enn én merknad på dokumentnivå.",
        _KONTAKT,
    ),
    # Seller: VAT, registration, identifiers (NO, EN 16931)
    "NO-R-001": (
        "MVA-nummeret vårt har feil form. Det skal være NO, organisasjonsnummeret og MVA, "
        "f.eks. NO123456785MVA.",
        "Rett organisasjonsnummeret eller om dere er mva-registrert. " + _INNSTILLINGER,
    ),
    "NO-R-002": (
        "Aksjeselskaper og filialer av utenlandske selskaper skal ha ordet «Foretaksregisteret» "
        "på fakturaen. Dette er en advarsel; fakturaen kan sendes.",
        "Er dere registrert i Foretaksregisteret, kryss av for det under Innstillinger → "
        "Selger på fakturaene.",
    ),
    "BR-CO-09": (
        "MVA-nummeret vårt mangler landkoden foran (NO).",
        "Rett MVA-opplysningene. " + _INNSTILLINGER,
    ),
    "BR-CO-26": (
        "Fakturaen mangler både organisasjonsnummer og MVA-nummer for oss som selger.",
        "Fyll inn organisasjonsnummeret. " + _INNSTILLINGER,
    ),
    "BR-S-02": (
        "Fakturaen har linjer med merverdiavgift, men vi har ikke oppgitt MVA-nummer.",
        "Oppgi at dere er mva-registrert, eller bruk riktig mva-kategori. " + _INNSTILLINGER,
    ),
    "BR-E-10": (
        "Fakturaen er fritatt for merverdiavgift, men grunnen til fritaket mangler.",
        "Oppgi grunnen til mva-fritaket i fakturaoppsettet. " + _AVTALE,
    ),
    "BR-06": (
        "Vårt navn som selger mangler på fakturaen.",
        "Fyll inn organisasjonens navn. " + _INNSTILLINGER,
    ),
    "BR-07": (
        "Kjøperens navn mangler på fakturaen.",
        "Fyll inn kjøperens navn. " + _AVTALE,
    ),
    "BR-08": (
        "Vår postadresse som selger mangler.",
        "Fyll inn adressen. " + _INNSTILLINGER,
    ),
    "BR-09": (
        "Landkoden i vår postadresse mangler.",
        "Fyll inn adressen med land. " + _INNSTILLINGER,
    ),
    "BR-10": (
        "Kjøperens postadresse mangler.",
        "Fyll inn kjøperens adresse. " + _AVTALE,
    ),
    "BR-11": (
        "Landkoden i kjøperens postadresse mangler.",
        "Fyll inn kjøperens adresse med land. " + _AVTALE,
    ),
    "BR-CL-14": (
        "Landkoden i en adresse er ikke en gyldig landkode (to bokstaver etter ISO 3166, "
        "f.eks. NO).",
        "Rett landet i kjøperens eller vår adresse i innstillingene eller fakturaoppsettet, "
        "og lag fakturaen på nytt.",
    ),
    # Payment: account, due date
    "BR-61": (
        "Betaling med bankoverføring krever et kontonummer, og det mangler.",
        "Fyll inn kontonummeret. " + _INNSTILLINGER,
    ),
    "BR-50": (
        "Kontonummeret for betalingen er tomt.",
        "Fyll inn kontonummeret. " + _INNSTILLINGER,
    ),
    "BR-CO-25": (
        "Når det er noe å betale, må fakturaen ha forfallsdato eller betalingsbetingelser.",
        "Oppgi forfallsdato eller betalingsfrist i fakturaoppsettet, og lag fakturaen på nytt.",
    ),
    # Dates and period
    "BR-29": (
        "Periodens sluttdato er før startdatoen.",
        "Se over perioden (måneden) fakturaen gjelder, og lag fakturaen på nytt.",
    ),
    "BR-30": (
        "En linjes sluttdato er før startdatoen.",
        "Se over datoene på timene i perioden, og lag fakturaen på nytt.",
    ),
    # Lines and amounts
    "BR-16": (
        "Fakturaen har ingen linjer: ingen timer ble fakturert i perioden.",
        "Registrer timene for perioden, eller kontroller at måneden er riktig.",
    ),
    "BR-27": (
        "En linje har negativ pris. Timeprisen kan ikke være negativ.",
        "Rett timeprisen i gjennomføringens fakturaoppsett, og lag fakturaen på nytt.",
    ),
    "BR-CO-10": (
        "Summen av linjene stemmer ikke med fakturaens sum.",
        _KONTAKT,
    ),
    "BR-CO-15": (
        "Totalbeløpet stemmer ikke med beløpet uten mva pluss mva.",
        _KONTAKT,
    ),
    "PEPPOL-EN16931-R120": (
        "En linjes beløp stemmer ikke med antall timer ganger timepris.",
        _KONTAKT,
    ),
    # Credit notes
    "BR-55": (
        "Kreditnotaen mangler nummeret på fakturaen den krediterer.",
        _KONTAKT,
    ),
    # The buyer profile's own rules (ehf.profiles), refused before anything is stored
    "NAV-01": (
        "Fakturaer til NAV skal til NAVs elektroniske adresse, organisasjonsnummer 889640782.",
        "Rett kjøperens organisasjonsnummer. " + _AVTALE,
    ),
    "NAV-02": (
        "NAV krever «Deres referanse»: bestillerreferansen på formen A123456 eller ABC1234.",
        "Fyll inn referansen fra NAVs bestilling. " + _AVTALE,
    ),
    "NAV-03": (
        "Bestillingsnummeret er oppgitt, men tomt.",
        "Fyll inn bestillingsnummeret eller la feltet stå tomt.",
    ),
    "NAV-04": (
        "En kreditnota til NAV må oppgi nummeret på fakturaen den krediterer.",
        _KONTAKT,
    ),
    "NAV-05": (
        "NAV tar bare imot vedlegg som PDF.",
        "Last opp vedlegget som PDF.",
    ),
    "NAV-06": (
        "NAV krever at forfallsdatoen er 30 dager etter fakturadatoen.",
        "La forfallsdatoen stå tom (den settes da riktig), eller sett den 30 dager frem.",
    ),
    "NAV-07": (
        "NAV tar ikke imot fakturagebyr eller andre gebyrer.",
        "Fjern gebyret fra fakturagrunnlaget.",
    ),
    "PEPPOL-01": (
        "Fakturaen mangler både kjøpers referanse og bestillingsnummer.",
        "Fyll inn «Deres referanse» eller bestillingsnummeret. " + _AVTALE,
    ),
    "SELGER-01": (
        "Organisasjonsnummeret vårt er ikke gyldig (kontrollsifferet stemmer ikke).",
        "Rett organisasjonsnummeret. " + _INNSTILLINGER,
    ),
    "SELGER-02": (
        "MVA-nummeret og om vi er mva-registrert stemmer ikke overens.",
        "Rett om dere er mva-registrert. " + _INNSTILLINGER,
    ),
    "SELGER-03": (
        "Kontonummeret er ikke gyldig (kontrollsifferet stemmer ikke).",
        "Rett kontonummeret. " + _INNSTILLINGER,
    ),
    "SELGER-04": (
        "KID-nummeret er ikke gyldig (kontrollsifferet stemmer ikke).",
        "Rett KID-nummeret.",
    ),
}

_PREFIKS = re.compile(r"^\s*\[[^\]]*\]\s*-?\s*")  # the official text starts "[BR-16]-"


@dataclass(frozen=True)
class Regelforklaring:
    """One finding as a person reads it; ``kjent`` when the table explains the rule."""

    regel: str
    alvor: str
    forklaring: str
    hva_gjore: str
    offisiell_tekst: str
    sted: str
    kjent: bool

    def som_dict(self) -> dict[str, Any]:
        """Return the explanation as the API adds it to a finding."""
        return {"forklaring": self.forklaring, "hva_gjore": self.hva_gjore, "kjent": self.kjent}


def forklar(funn: dict[str, Any]) -> Regelforklaring:
    """Explain one stored finding (``Faktura.rapport["findings"]``) in bokmål.

    A rule the table lacks gets its official text as the explanation and a general next step.
    """
    regel = str(funn.get("rule") or "")
    offisiell = _PREFIKS.sub("", str(funn.get("message") or ""))
    alvor = "Advarsel" if funn.get("flag") == "warning" else "Feil"
    rad = FORKLARINGER.get(regel)
    if rad is not None:
        forklaring, hva = rad
    else:
        forklaring = offisiell or "Regelen har ingen tekst."
        hva = (
            "Regelen er ikke forklart her. Se regelens tekst (på engelsk), rett opplysningene "
            "den gjelder og lag fakturaen på nytt, eller ta kontakt med den som drifter dokgen."
        )
    sted = str(funn.get("location") or "")
    return Regelforklaring(regel, alvor, forklaring, hva, offisiell, sted, rad is not None)


def forklar_alle(rapport: dict[str, Any] | None) -> list[Regelforklaring]:
    """Explain every finding of a stored report, errors first, in the report's order."""
    funn = (rapport or {}).get("findings", [])
    forklart = [forklar(f) for f in funn]
    return sorted(forklart, key=lambda x: x.alvor != "Feil")
