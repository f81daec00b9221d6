"""The rule set of NAV Oslo's Jobbmestrende oppfølging agreement (kravspesifikasjon Bilag 3)."""

from __future__ import annotations

from decimal import Decimal

from ehf.rules.model import AktivitetRegel, Regelsett

_EN_TIME = Decimal("1")

JMO_OSLO_2020 = Regelsett(
    navn="jmo-oslo-2020",
    versjon="2020.1",
    beskrivelse="Jobbmestrende oppfølging, NAV Oslo (Bilag 3: priser og betalingsbetingelser)",
    aktiviteter={
        "oppfolging": AktivitetRegel(beskrivelse="Oppfølging med deltaker til stede"),
        "video_telefon": AktivitetRegel(beskrivelse="Oppfølging på video eller telefon"),
        "arbeidsgiveroppfolging": AktivitetRegel(
            beskrivelse="Oppfølging av arbeidsgiver knyttet til deltakeren"
        ),
        "ikke_mott": AktivitetRegel(
            beskrivelse="Deltaker møtte ikke",
            maks_timer=Decimal("0.25"),
            maks_tekst="maks 0,25 t når deltakeren ikke møter",
        ),
        "reise": AktivitetRegel(
            beskrivelse="Reisetid til oppfølgingsmøte",
            maks_timer=_EN_TIME,
            maks_per="mote",
            maks_tekst="maks 1 t per møte",
        ),
        "rapportskriving": AktivitetRegel(
            beskrivelse="Skriving av statusrapport eller sluttrapport",
            maks_timer=_EN_TIME,
            maks_per="rapport",
            maks_tekst="maks 1 t per rapport",
        ),
        "gruppe": AktivitetRegel(beskrivelse="Gruppeaktivitet", del_paa_deltakere=True),
    },
)
