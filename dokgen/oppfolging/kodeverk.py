"""NAV's codes for a deltaker's status and the reason for it, with the words NAV shows.

The codes are NAV's own (``DeltakerStatus.Type`` and ``DeltakerStatus.Aarsak.Type`` in
amt-deltaker), so data copied from NAV's tools keeps its meaning; pages, CSV exports and
errors show the words, never the codes. The AMB result codes (``AMB_RESULTATKODER``) are
the arbeidsmarkedsbedrift's nine situations at the end of Kvalifisering, each in its category.
"""

from __future__ import annotations

# The AMB result codes of §14.4 a, code → (text, category): defined with the sluttrapport fra
# Kvalifisering that records them (the documents lie below this package), named here beside
# NAV's other codes, as one set of status categories a resultatrapport counts by.
from dokgen.documents.models.kvalifisering import AMB_RESULTATKODER as AMB_RESULTATKODER
from dokgen.documents.models.kvalifisering import (
    resultat_med_kategori as resultat_med_kategori,
)

STATUSER: dict[str, str] = {
    "KLADD": "Kladd",
    "UTKAST_TIL_PAMELDING": "Utkast til påmelding",
    "AVBRUTT_UTKAST": "Avbrutt utkast",
    "PABEGYNT_REGISTRERING": "Påbegynt registrering",
    "SOKT_INN": "Søkt inn",
    "VURDERES": "Vurderes",
    "VENTELISTE": "På venteliste",
    "VENTER_PA_OPPSTART": "Venter på oppstart",
    "DELTAR": "Deltar",
    "HAR_SLUTTET": "Har sluttet",
    "FULLFORT": "Fullført",
    "AVBRUTT": "Avbrutt",
    "IKKE_AKTUELL": "Ikke aktuell",
    "FEILREGISTRERT": "Feilregistrert",
}

ARSAKER: dict[str, str] = {
    "SYK": "Syk",
    "FATT_JOBB": "Fått jobb",
    "TRENGER_ANNEN_STOTTE": "Trenger annen støtte",
    "FIKK_IKKE_PLASS": "Fikk ikke plass",
    "IKKE_MOTT": "Møter ikke opp",
    "ANNET": "Annet",
    "AVLYST_KONTRAKT": "Avlyst kontrakt",
    "UTDANNING": "Utdanning",
    "SAMARBEIDET_MED_ARRANGOREN_ER_AVBRUTT": "Samarbeidet med arrangøren er avbrutt",
    "KRAV_IKKE_OPPFYLT": "Krav for deltakelse er ikke oppfylt",
    "KURS_FULLT": "Kurset er fullt",
}

# Only this reason carries a free-text description (NAV: "Annet - fyll ut").
ARSAK_MED_BESKRIVELSE = "ANNET"

# A deltaker in these statuses has no frister left: the open ones are "bortfalt".
UTEN_FRISTER = frozenset({"IKKE_AKTUELL", "FEILREGISTRERT"})

# Statuses in which the deltaker has ended (a sluttdato belongs to them).
AVSLUTTET = frozenset({"HAR_SLUTTET", "FULLFORT", "AVBRUTT"})

# The words NAV's coordinator list shows, read back to codes on import (lower case): the
# words above and the older ones NAV's pages have used for the same statuses.
STATUS_FRA_ORD: dict[str, str] = {
    **{ord_.lower(): kode for kode, ord_ in STATUSER.items()},
    "venteliste": "VENTELISTE",
    "søkt om plass": "SOKT_INN",
    "sokt inn": "SOKT_INN",
}

ARSAK_FRA_ORD: dict[str, str] = {
    **{ord_.lower(): kode for kode, ord_ in ARSAKER.items()},
    "trenger annen hjelp og støtte": "TRENGER_ANNEN_STOTTE",
    "kontrakten med arrangør er avlyst": "AVLYST_KONTRAKT",
}


def status_ord(kode: str) -> str:
    """Return the words for a status code (the code itself if it is unknown)."""
    return STATUSER.get(kode, kode)


def arsak_ord(kode: str | None, beskrivelse: str | None = None) -> str:
    """Return the words for a reason, with the description of "Annet"."""
    if not kode:
        return ""
    ord_ = ARSAKER.get(kode, kode)
    if kode == ARSAK_MED_BESKRIVELSE and beskrivelse:
        return f"{ord_}: {beskrivelse}"
    return ord_


# The kinds of praksisplass, code → (words, the definition as the routine for
# praksisplasser writes it: ``shared/kilder/praksisplass-rutiner.txt``), shown as help.
PRAKSISARTER: dict[str, tuple[str, str]] = {
    "aktivitetsplass": (
        "Aktivitetsplass",
        "En aktivitetsplass er her ment som en praksisplass igjennom sosialtjenesteloven i NAV. "
        "En aktivitetsplass brukes hovedsaklig for å sikre at bruker er i aktivitet og til å "
        "avklare arbeidsevne. Målet kan være å se at bruker klarer å møte opp.",
    ),
    "arbeidstrening": (
        "Arbeidstrening",
        "En arbeidstreningplass er her ment som ordinær praksisplass igjennom "
        "arbeidsmarkedsloven, med tilhørende ytelser som tiltakspenger, AAP, overgangsstønad "
        "m.m. En arbeidstreningplass skal ha et definert yrkesmål med en aktivitetsplan som "
        "viser veien mot det målet.",
    ),
    "sprakpraksis": (
        "Språkpraksis",
        "En språkpraksisplass er definert som opplæring i norsk og avtales med leder "
        "voksenopplæringen.",
    ),
    "kommunal_tiltaksplass": (
        "Kommunal tiltaksplass",
        "Med kommunens tiltaksplasser menes de praksisplassene som er opprettet i kommunen som "
        "NAV kan nyttegjøre seg av. Hver av de tiltaksplassene er pålagt avdelingene, og de kan "
        "ikke nekte å ta inn personer så lenge det er ledig.",
    ),
}

# A placement's statuses in the routine's order, code → (words, when the routine uses it).
PLASSERINGSSTATUSER: dict[str, tuple[str, str]] = {
    "ny": (
        "Ny",
        "Når praksisplassen er planlagt startet med deltaker eller arbeidsgiver registreres "
        'den inn. Den får automatisk status "Ny".',
    ),
    "statusmote_avtalt": (
        "Statusmøte avtalt",
        "Status endres når oppstartsmøte er avtalt til denne status.",
    ),
    "bekreftet": (
        "Bekreftet",
        "Status kan brukes når deltaker og arbeidsgiver har bekreftet oppstart.",
    ),
    "startet": ("Startet", 'Status endres til "startet" når deltaker har startet i praksis.'),
    "avsluttet": (
        "Avsluttet",
        "Status brukes når plassen er avtalt avsluttet og plassen er frigitt til andre. "
        "OBS! Husk å endre sluttdato hvis denne er før opprinnelig planlagt avslutning.",
    ),
}


def praksisart_ord(kode: str) -> str:
    """Return the words for a kind of praksisplass (the code itself if it is unknown)."""
    return PRAKSISARTER[kode][0] if kode in PRAKSISARTER else kode


def plasseringsstatus_ord(kode: str) -> str:
    """Return the words for a placement's status (the code itself if it is unknown)."""
    return PLASSERINGSSTATUSER[kode][0] if kode in PLASSERINGSSTATUSER else kode


# Who met at a placement's oppstartsmøte, code → words. The routine: «Før igangsetting skal
# det holdes et oppstartsmøte hvor veileder møter leder sammen med bruker».
MOTEROLLER: dict[str, str] = {
    "veileder": "Veileder",
    "leder": "Leder hos arbeidsgiver",
    "deltaker": "Deltakeren",
    "annen": "Annen",
}

# The kinds of reason for an absence the arbeidsgiver reports, code → (words, whether it is
# a valid reason). An absence without one raises the JMO frist "Varsle NAV samme dag".
FRAVAERSARSAKER: dict[str, tuple[str, bool]] = {
    "sykdom": ("Sykdom", True),
    "syk_barn": ("Sykt barn", True),
    "lege_tannlege": ("Lege eller tannlege", True),
    "velferd": ("Velferdspermisjon", True),
    "avtalt_fri": ("Avtalt fri", True),
    "annet_gyldig": ("Annen gyldig grunn", True),
    "uten_gyldig_grunn": ("Uten gyldig grunn", False),
}

# How the arbeidsgiver reported an absence, code → words. The routine: «Hovedregelen er at
# vi avtaler med arbeidsgiver at de sender en mail til oss ved manglende oppmøte … Ved behov
# kan oppmøteskjema gis ut».
MELDT_VIA: dict[str, str] = {
    "epost": "E-post",
    "telefon": "Telefon",
    "sms": "SMS",
    "oppmoteskjema": "Oppmøteskjema",
    "muntlig": "Muntlig",
}


def fravaersarsak_ord(kode: str) -> str:
    """Return the words for an absence's reason (the code itself if it is unknown)."""
    return FRAVAERSARSAKER[kode][0] if kode in FRAVAERSARSAKER else kode


def gyldig_fravaer(kode: str) -> bool:
    """Return whether an absence's reason is a valid one (an unknown code is not)."""
    return FRAVAERSARSAKER.get(kode, ("", False))[1]
