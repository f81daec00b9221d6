"""NAV's wording, word for word: every label and instruction of the seed's templates
(``shared/kilder/kravspesifikasjon-jmo-oslo.txt``: Bilag 8 vedlegg 1, 2 and 4, Bilag 6, and
the minimum content of an arbeidspraksisavtale in §6) appears in the filled document.

The lists below are copied from the seed; the first test proves each is there, so a label
cannot drift from NAV's text without the test noticing. Column headings are compared without
the seed's trailing colon, and case is ignored (the seed's "Evaluering av tiltaket - fylles
ut …" is a title and a subtitle in the template).
"""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from dokgen.documents.pdf.convert import Converter
from dokgen.documents.render import render_docx
from tests import pdfinfo
from tests.conftest import SHARED, require_command
from tests.dokgen.varianter import lag_variant

SEED = SHARED / "kilder" / "kravspesifikasjon-jmo-oslo.txt"
SEED_AMB = SHARED / "kilder" / "kravspesifikasjon-amb.txt"

# AMB §8.1 and §8.2 ask the same of each horizon.
TILBUD_PUNKTER = (
    "Bedriften skal gi skriftlig melding til NAV lokal minst en gang i måneden om:",
    "Antall ledige plasser til Kvalifisering",
    "Antall ledige plasser til Tilrettelagt arbeid",
    "Spesifiseres når det gjelder avdeling, trenings- og opplæringstilbud, eventuelle faglige "
    "kvalifikasjonskrav, helsemessige forutsetninger osv.",
)

# The AMB types' headings and questions (kravspesifikasjon-amb.txt), in the seed's order.
_AMB_KVALIFISERING: dict[str, tuple[str, ...]] = {
    "tilbudsmelding": (
        "Bedriftens tilbudsmelding",
        "Ledige plasser på kort sikt (ca. 1 måned)",
        "(Antall ledige plasser refererer til det rammetall bedriften er tildelt, og som er de "
        "signaliserte behov fra NAV for plasser i avtaleperioden).",
        *TILBUD_PUNKTER,
        "Forventet ledige plasser på lengre sikt (ca.3 måneder)",
        *TILBUD_PUNKTER,
        "Spesielle anmerkninger",
        "Underskrift",
        "Sted, dato, underskrift av kontaktperson for bedriften og telefonnummer.",
    ),
    "opplaeringsplan": (
        "Opplæringsplan for Kvalifisering",
        "(Inngår i den overordnede handlingsplanen fra NAV lokal.)",
        "Innhold",
        "Faglige mål og framdriftsplan.",
        "Eksterne kurs/opplæring.",
        "Eventuelle medisinske mål og/eller sosiale mål.",
        "Når er opplæringen og arbeidstreningen i Kvalifisering beregnet avsluttet?",
        "Ansvarsforhold",
        "Beskriv hvordan bedriften tilrettelegger for opplæring osv.",
        "Hvem er hovedansvarlig for oppfølging i bedriften?",
        "På hvilken måte stimuleres arbeidstakeren til f.eks. kurs i fagteori, å søke skole, "
        "jobbsøking, fysisk trening.",
        "Beskriv rutiner for samtalehyppighet og evaluering av planen med arbeidstakeren.",
        "Beskriv hvordan eventuell ekstern oppfølging benyttes fra f.eks. sosialkontor, lege, "
        "psykolog.",
        "Beskriv hvordan eventuell oppfølging fra saksbehandler på NAV lokal benyttes.",
        "Beskriv hvilke konsekvenser som følger dersom planen ikke blir fulgt av partene.",
        "Underskrift",
        "Attføringsansvarlig og arbeidstaker",
        "Kopi til",
        "Arbeidstaker og saksbehandler på NAV lokal",
    ),
    "samtalereferat": (
        "Oppfølgingssamtaler. Bør skje minst hver 3. måned.",
        "Hvem medvirker fra personalet?",
        "Beskriv hvilken kompetanse personalet har for denne oppgaven (samtalekurs, "
        "arbeidslederopplæring osv.)",
        "Hvilke temaer er faste innslag i samtalene?",
        "Hvor ofte og hvordan blir handlingsplanen evaluert?",
        "Blir det fastsatt nye delmål ved oppfølgingssamtalen?",
        "Referat fra oppfølgingssamtalene",
        "Hvem får referat og hvordan oppbevares referatene?",
        "Hvor lenge oppbevares referatene?",
        "Beskriv rutinene for informasjon til NAV lokal ved endringer i planen.",
    ),
}

FELLES = (
    "Navn:",
    "Fødselsnummer:",
    "Oppstartdato:",
    "Innsøkende NAV-kontor:",
    "Veileder NAV:",
    "Veiledere tiltaksarrangør: (navn og kontaktinfo/tlf)",
    "Bestilling fra NAV:",
    "Fravær: (dager/timer - årsak)",
    "Sted og dato:",
    "Veileders underskrift:",
    "Jobbmestrende oppfølging",
)

LEDETEKSTER: dict[str, tuple[str, ...]] = {
    "statusrapport": (
        *FELLES,
        "Statusrapport",
        "Statusrapporten skal utarbeides hver tredje måned etter oppstart i tiltaket",
        "Rapporteringsperiode:",
        "Status og arbeidsrelatert progresjon inkl. ev. avvik fra tidligere plan:",
        "Begrunnelse for videre oppfølging: (spesifiser ev justeringer i plan og "
        "tilretteleggingsbehov)",
        "Arbeidsgiver i rapporteringsperioden",
        "Navnet på arbeidsgiver:",
        "Kontaktperson:",
        "Stillingsprosent:",
        "Ansettelsesforhold (fast / midlertidig):",
        "Arbeidsforhold (lønnet arbeid / arbeidspraksis):",
        "Begrunnelse for valg av arbeidsplass og –oppgaver:",
        "Antall oppfølgingstimer i rapporteringsperioden (pr mnd):",
        "Anslått oppfølgingsbehov kommende periode (pr mnd):",
        "Gjennomførte aktiviteter i perioden:",
        "Oppfølging på arbeidsplassen: (oppfølging av deltaker og arbeidsgiver; ev. "
        "tilrettelegging og tilpasning)",
        "Arbeidsgivers kommentar/vurdering av arbeidsplass: (mulighet for ordinær ansettelse og "
        "omfang, behov for kompensasjon/tilpasning ved ansettelse, m.m)",
        "Deltakers kommentar: (dersom deltaker ikke er enig i hele rapportens innhold)",
    ),
    "sluttrapport": (
        *FELLES,
        "Sluttrapport",
        "Rapporten skal sendes NAV-kontoret innen en uke etter at tiltaket er avsluttet",
        "Adresse:",
        "Poststed:",
        "Sluttdato:",
        "Arbeidsgiver (dersom deltaker har et arbeidsforhold):",
        "Oppsummering/resultat av Jobbmestrende oppfølging – status og anbefalinger knyttet til "
        "deltakers muligheter til å (for)bli selvforsørget med en varig tilknytning til "
        "arbeidslivet. Anbefalingene skal inkludere arbeidsgivers vurderinger.",
        "Dersom deltaker er helt eller delvis tilbake i arbeid:",
        "(a) Arbeidsgiver:",
        "(b) Kontaktperson:",
        "(b) Stillingsprosent:",
        "(c) Fast, midlertidig, vikariat osv:",
        "(d) Oppstartsdato:",
        "Gjennomførte aktiviteter i tiltaket: (f. eks kartlegging, arbeidspraksis, jobbsøking, "
        "kontakt med arbeidsgivere med eller uten deltaker, oppfølging av deltaker og "
        "arbeidsgiver og lignende. Begrunn valg av aktiviteter, beskriv hva som ble gjennomført "
        "og hvordan, informer om resultatet av aktivitetene, vurder hva resultatet betydde for "
        "gjennomføringen av tiltaket og arbeid/videre plan)",
        "Deltakers kommentar (dersom deltaker ikke er enig i hele rapportens innhold):",
    ),
    "evalueringsrapport": (
        "Evaluering av tiltaket",
        "fylles ut av leverandør hvert halvår",
        "Jobbmestrende oppfølging",
        "Leverandør og tiltaksnummer:",
        "Rapport skal gis i fritekst til NAV Tiltak Oslo og må inneholde følgende elementer:",
        "Erfaringer knyttet til etablering av arbeidsforhold for deltakerne i tiltaket",
        "Erfaringer knyttet til oppfølging av deltaker og arbeidsgiver etter ansettelse",
        "Oppsummering av systematiske tilbakemeldinger fra deltakerne",
        "Erfaringer med samarbeidet med NAV;",
        "i oppfølgingen av de enkelte deltakerne",
        "i oppfølgingen av gjeldende avtale på leverandørnivå",
        "Andre forhold tiltaksarrangør vurderer som relevante for NAVs oppfølging av tiltaket",
        "Ev forslag til endringer eller forbedringer",
        "Kommentarer til resultatmål og ev beskrivelse av videre arbeid for å opprettholde/nå "
        "målene",
        "Sted og dato:",
        "Tiltaksarrangørens underskrift:",
    ),
    "endringsavtale": (
        "Endringskatalog:",
        "Nr.",
        "Dato for undertegning",
        "Beskrivelse av endringen samt eventuell vederlagsjustering og justering av tidsplan",
        "Dato for ikraftsettelse",
        "Denne endringen gjøres i henhold til betingelsene i ovenfor nevnte avtale, med mindre "
        "annet særskilt er angitt nedenfor.",
        "Beskrivelse av endringen:",
        "Dette dokument er undertegnet i to eksemplarer hvorav hver part beholder ett.",
        "Dato:",
        "Sign:",
        "Navn:",
    ),
    # §6: "Avtalen skal minimum inneholde konkretisering av formål, opplæring, oppfølging,
    # arbeidstid, arbeidsoppgaver, varighet og eventuell tilrettelegging."
    "arbeidspraksisavtale": (
        "formål",
        "opplæring",
        "oppfølging",
        "arbeidstid",
        "arbeidsoppgaver",
        "varighet",
        "eventuell tilrettelegging",
        "lov om yrkesskadeforsikring",
        "forsikringsplikten",
        "arbeidsgiver, tiltaksdeltaker og",
    ),
}


# The AMB document types' labels, from ``kravspesifikasjon-amb.txt``, in the seed's order.
LEDETEKSTER_AMB: dict[str, tuple[str, ...]] = {
    # §14.1–14.7
    "sluttrapport_kvalifisering": (
        "bedriftens sluttrapport fra Kvalifisering",
        "Faktiske forhold",
        "1. Start og sluttdato.",
        "2. Fravær; oppgave over antall timer og dager fordelt på årsak.",
        "3. Formålet med opplæringsplanen og arbeidstrening i Kvalifisering.",
        "4. Arbeidstakerens arbeidsoppgaver.",
        "5. Gjennomført opplæring/kurs; sertifikater/fagbrev.",
        "6. Omfang av eventuelt utleie, i forbindelse med opplæring, arbeidstrening eller som et "
        "ledd i en formidling.",
        "Vurdering av arbeidstakeren",
        "1. Hvilke interesser og ressurser har kommet frem under oppholdet i Kvalifisering?",
        "2. Forholdet mellom helse/yrkeshemning og arbeid. (I hvilken grad hindrer "
        "yrkeshemningen utførelse av arbeid som har vært forsøkt, i hvilken grad kreves "
        "spesiell tilrettelegging av arbeidet?).",
        "3. Arbeidstempo. (I forhold til antatt tempo i ordinært arbeidsliv).",
        "4. Selvstendighet. (Intiativ til å utføre oppgaver, behov for oppfølging og instruksjon).",
        "5. Stabilitet/utholdenhet. (Presist frammøte om morgenen og etter pauser, være til "
        "stede på den tilviste arbeidsplassen gjennom arbeidsdagen).",
        "6. Jobbutførelse. (I forhold til oppsatte kvalitetskrav i bedriften).",
        "7. Samarbeid. (Med overordnede og kolleger, løser vedkommende oppgaver "
        "tilfredsstillende i fellesskap med andre).",
        "8. Oppfølging av attføringsplanen. (Antall samtaler om planen, betydelige endringer og "
        "brudd).",
        "Yrkesveiledning og arbeidssøking",
        "1. Arbeidssøkeraktivitet; antall jobber vedkommende har søkt, bedriftens innsats.",
        "2. Utdanningsaktivitet; søkt skoler, søkt kurs.",
        "Resultat",
        "a. Arbeidstakerens situasjon ved avslutningen. Gi eventuelt nærmere opplysninger om "
        "arbeidsgiver, omfang av lønnstilskudd, forhold mellom arbeid og trygd, hvilke "
        "skole/utdanning osv. (Kfr. refusjonsskjemaet PB 1940).",
        "Overgang til Tilrettelagt arbeid",
        "Arbeid uten tilskudd (1. formidlet)",
        "Arbeid med tilskudd (2. tiltak)",
        "Arbeid/trygd (1. formidlet)",
        "Skole/utdanning (3. skole)",
        "Annen attføring (2. tiltak)",
        "Medisinsk attføring (5. annet)",
        "Søkt/fått uførepensjon (5. annet)",
        "Formidlingsklar/overført til NAV lokal (4. ledig)",
        "Annet (5. annet)",
        "b. Eventuelt forslag til videre tiltak.",
        "c. Vedtaket fra rådgivende utvalg.",
        "Underskrift",
        "Arbeidstakeren m/plass til eventuell kommentar.",
        "Attføringsansvarlige",
        "Kopi",
        "Arbeidstakeren.",
        "NAV lokal.",
        "Vedlegg",
        "Bedriftens attest som arbeidstakeren kan bruke ved jobbsøking.",
    ),
    # §15
    "motereferat": (
        "dagsorden og referat ved NAVs oppfølgingsmøter med tiltaksarrangør for AMB-tiltaket",
        "Bedrift:",
        "Møtedato:",
        "Møtedeltakere:",
        "NAV lokal:",
        "NAV fylke:",
        "NAV arbeidsrådgivning:",
        "Dagsorden",
        "Kommentar til referat fra forrige møte.",
        "Gjennomgang etter malen under.",
        "Overordnet",
        "Kommentar/referat",
        "Samarbeidsavtalen mellom NAV lokal og tiltaksarrangør for AMB-tiltaket",
        "(Mal for) bedriftens årsrapport",
        "Bedriftens overordnede beskrivelse",
        "Arbeidet i rådgivende utvalg",
        "Rutiner for informasjonsutveksling",
        "Inntaksrutiner",
        "Samarbeid med NAV lokal om overgangsplanlegging og tiltakskjeding",
        "bedriftens tilbudsmelding",
        "NAV lokal sin behandling av bedriftens tilbudsmelding",
        "Opplæringsplan for Kvalifisering",
        "Bedriftens yrkesfaglige tilbud",
        "Eksternt samarbeid om opplæring",
        "Bedriftens rutiner for vurdering og oppfølging i kvalifisering",
        "Sluttrapport for Kvalifisering",
        "Mal for dagsorden/referat fra oppfølgingsmøtene",
    ),
}
LEDETEKSTER_AMB.update(_AMB_KVALIFISERING)
LEDETEKSTER.update(LEDETEKSTER_AMB)
KILDE = {type_navn: SEED_AMB for type_navn in LEDETEKSTER_AMB}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _label(label: str) -> str:
    return _flat(label.removesuffix(":"))


def _paragraphs(type_navn: str) -> list[str]:
    """Return the filled contract example's paragraphs (body, tables, header), in order."""
    filled = render_docx(type_navn, lag_variant(type_navn, "kontrakt"))
    document = docx.Document(io.BytesIO(filled))
    roots = [document.element.body, *(s.header._element for s in document.sections)]
    return [
        "".join(t.text or "" if t.tag == qn("w:t") else " " for t in p.iter(qn("w:t"), qn("w:br")))
        for root in roots
        for p in root.iter(qn("w:p"))
    ]


@pytest.mark.parametrize("type_navn", sorted(LEDETEKSTER))
def test_every_expected_label_is_nav_s_own_text(type_navn: str) -> None:
    """The expected labels are the seed's words, not ours."""
    seed = _flat(KILDE.get(type_navn, SEED).read_text(encoding="utf-8"))
    assert [lbl for lbl in LEDETEKSTER[type_navn] if _flat(lbl) not in seed] == []


@pytest.mark.parametrize("type_navn", sorted(LEDETEKSTER))
def test_every_seed_label_is_in_the_filled_document(type_navn: str) -> None:
    """Each label and instruction of the seed appears word for word in the document."""
    text = _flat(" \n ".join(_paragraphs(type_navn)))
    missing = [lbl for lbl in LEDETEKSTER[type_navn] if _label(lbl) not in text]
    assert missing == []


@pytest.mark.parametrize("type_navn", sorted(LEDETEKSTER_AMB))
def test_every_amb_label_is_the_seed_s_own_text(type_navn: str) -> None:
    """The AMB labels are the words of the AMB kravspesifikasjon, not ours."""
    seed = _flat(SEED_AMB.read_text(encoding="utf-8"))
    assert [lbl for lbl in LEDETEKSTER_AMB[type_navn] if _flat(lbl) not in seed] == []


@pytest.mark.parametrize("type_navn", sorted(LEDETEKSTER_AMB))
def test_every_amb_label_is_in_the_filled_document_in_the_seed_s_order(type_navn: str) -> None:
    """Each heading and question of the AMB section appears word for word, in its order."""
    text = _flat(" \n ".join(_paragraphs(type_navn)))
    labels = [_label(lbl) for lbl in LEDETEKSTER_AMB[type_navn]]
    assert [lbl for lbl in labels if lbl not in text] == []
    at = 0
    for lbl in labels:  # each found after the one before it
        found = text.find(lbl, at)
        assert found >= 0, f"«{lbl}» is out of the seed's order"
        at = found + len(lbl)


@pytest.mark.parametrize("type_navn", sorted(LEDETEKSTER_AMB))
def test_the_amb_headings_and_questions_stand_in_the_seed_s_order(type_navn: str) -> None:
    """Each AMB heading and question is in the seed's order there and in the document."""
    seed = _flat(SEED_AMB.read_text(encoding="utf-8"))
    text = _flat(" \n ".join(_paragraphs(type_navn)))
    for where in (seed, text):
        at, out_of_order = 0, []
        for lbl in LEDETEKSTER_AMB[type_navn]:
            found = where.find(_label(lbl), at)
            if found < 0:
                out_of_order.append(lbl)
            at = max(at, found + 1)
        assert out_of_order == []


def test_the_evalueringsrapport_is_signed_by_the_tiltaksarrangor() -> None:
    """The signature label is NAV's "Tiltaksarrangørens underskrift:", not "Underskrift:"."""
    paragraphs = [p.strip() for p in _paragraphs("evalueringsrapport")]
    assert any(p.startswith("Tiltaksarrangørens underskrift:") for p in paragraphs)
    assert not any(p.startswith("Underskrift:") for p in paragraphs)


def test_the_arbeidspraksisavtale_says_arbeidstid_once() -> None:
    """The working hours are one field: "Arbeidstid:" with hours and description."""
    paragraphs = _paragraphs("arbeidspraksisavtale")
    assert [p for p in paragraphs if "Arbeidstid" in p] == [
        "Arbeidstid: 22,5 timer per uke: Mandag, onsdag og fredag 08:00–15:30"
    ]


SAMARBEID = "Erfaringer med samarbeidet med NAV;"


def test_the_evalueringsrapport_says_samarbeidet_med_nav_once() -> None:
    """NAV's bullet "Erfaringer med samarbeidet med NAV;" has two sub-bullets: the common
    label stands once, above them, not repeated before each."""
    text = _flat(" \n ".join(_paragraphs("evalueringsrapport")))
    assert text.count(_flat(SAMARBEID)) == 1
    first = text.index(_flat(SAMARBEID))
    deltakerne = text.index("i oppfølgingen av de enkelte deltakerne")
    avtalen = text.index("i oppfølgingen av gjeldende avtale på leverandørnivå")
    assert first < deltakerne < avtalen


@pytest.mark.integration
def test_the_evalueringsrapport_pdf_says_samarbeidet_med_nav_once(converter: Converter) -> None:
    """The same, read from the PDF LibreOffice makes of the filled template."""
    require_command("pdftotext")
    filled = render_docx("evalueringsrapport", lag_variant("evalueringsrapport", "kontrakt"))
    text = _flat(pdfinfo.text(converter.convert(filled), layout=False))
    assert text.count(_flat(SAMARBEID)) == 1


# The AMB document set (issue 16): the headings and questions of each type's section of
# ``shared/kilder/kravspesifikasjon-amb.txt``, in the seed's order and words.
AMB_SEED = SHARED / "kilder" / "kravspesifikasjon-amb.txt"

AMB_LEDETEKSTER: dict[str, tuple[str, ...]] = {
    "samarbeidsavtale": (
        "Innhold i samarbeidsavtalen mellom NAV og tiltaksarrangør for AMB-tiltaket",
        "1.1 Samarbeidsavtalens formål og hensikt",
        "Avtalen skal tilpasses lokale forhold.",
        "1.2 Oppfølging av samarbeidsavtalen mellom NAV lokal og tiltaksarrangør for AMB-tilaket",
        "Møtehyppighet; minimum én gang i året",
        "Deltakere: NAV og arbeidsmarkedsbedriften",
        "Ansvar for innkalling",
        "Faste temaer på møtene (F.eks felles opplæring ansatte NAV/AMB-tiltaket, "
        "tilbudsmeldingen og informasjonsmøter for potensielle søkere.)",
        "Aetat orienterer om aktuelle styringsdokumenter mv.",
        "Revisjonsdato for samarbeidsavtale",
        "1.3 Bedriftens samarbeid med Aetat om formidling og overgang til andre "
        "arbeidsmarkedstiltak",
        "Rutiner for samarbeid om tilmeldte stillinger, om jobbtilbud til tiltaksdeltakerne mv.",
        "Rutiner for hvordan bedriften konfererer med NAV før den går ut i markedet og tilbyr "
        "utlån/utleie av tiltaksdeltakere.",
        "Rutiner ved overgang til andre tiltak, for eksempel Lønnstilskudd, Arbeidspraksis i "
        "skjermet virksomhet, utdanning, AMO-kurs mv.",
        "1.4 Oppdatering av dokumenter som følger av kravspesifikasjonen",
        "Hyppighet (revisjon av bedriftens kvalitetssikringssystem og samarbeidsavtale).",
        "Liste over hvem som skal ha dokumenter.",
        "1.5 Ventelister, frister, inntakskritererier mv.",
        "Hva er maksimal ventetid for inntak til Kvalifisering?",
        "Frist for levering av sluttrapport etter Kvalifisering og Tilrettelagt arbeid.",
        "Deltid, fleksibel arbeidstid, skiftarbeid mv.",
        "1.6 Lokale satsingsområder mellom bedriften og NAV lokal i kommende periode. Avtalen "
        "bør minimum inneholde:",
        "Planer for å tilpasse bedriftens tilbud (kompetansekrav, produksjonsområder mv.) til "
        "aktuelle brukere og deres behov. Dette tas opp som fast punkt på oppfølgingsmøtene.",
        "Tiltak for å bedre samarbeidsrutinene mellom NAV lokal og bedriften.",
        "Mål for og resultatvurdering av attføringsarbeidet, herunder lokale resultatkrav i "
        "forhold til formidling og egenfinansiert utdanning for deltakere som avslutter "
        "Kvalifisering.",
        "Oppdatering for neste periode: Hvilke endringer som skal foretas innenfor angitte "
        "frister, innholdet i tiltaket, målgrupper mv.",
        "1.7 Koordinering mellom NAV lokal som bruker samme AMB-tiltak",
        "Det skal lages hensiktsmessige rutiner for rapportering vedrørende bl.a. inntak, "
        "oppstart, oppfølging av handlingsplaner og avslutning, til henvisende og koordinerende "
        "kontor (der dette ikke er det samme).",
    ),
    "arsrapport": (
        "Årsrapport",
        "Tiltaksarrangør plikter hvert år å sende årsmeldingen til NAV lokal, senest innen "
        "utgangen av juni.",
        "2.1 Årsrapport",
        "Årsrapporten skal også inneholde:",
        "Bedriftens beliggenhet, adresse, e-post, telefaks og telefon.",
        "Eierforhold/Tiltaksarrangør.",
        "Ordinært ansatte med attføringsansvarlig ansvar, antall stillinger og kompetanse.",
        "Tildelt ramme, godkjente plasser fordelt på Kvalifisering og Tilrettelagt arbeid og "
        "faktisk gjennomførte årsverk.",
        "Oversikt over hvilke avdelinger tiltaket har.",
        "Hva kan tilbys mht formell opplæring/kvalifisering (fagbrev) og annen dokumenterbar "
        "kompetanse (realkompetanse).",
        "Organisasjonskart.",
        "Omfanget av tverretatlig samarbeid.",
        "Fagutvikling/kompetanseheving for ordinært ansatte",
        "Resultater av attføringsarbeidet, jfr. Samarbeidsavtalens pkt. 1.6.c",
        "Overgang til Tilrettelagt arbeid",
        "2.2 Redegjørelse for hvordan NAVs driftstilskudd til AMB-tiltaket er benyttet",
        "Eget budsjett, totalbeløp mottatt i rapporteringsåret og revisor godkjent regnskap "
        "skal medfølge årsrapporten til NAV.",
        "Regnskapet bygger på Norsk Standard regnskapssystem med kontoer som beskriver andel "
        "brukt til bl.a.:",
        "Lønn til ordinært ansatte.",
        "Opplæring av tiltakets personale i attføringsarbeid.",
        "Avklaring og attføring av yrkeshemmede deltakere (evt. kjøp av ekstern avklaring, "
        "utgifter til intern opplæring/undervisning mv.).",
        "Kostnader knyttet til reise- og møtevirksomhet for ansatte i AMB-tiltaket i forbindelse "
        "med attføringsvirksomheten.",
        "Investeringer, drift- og utviklingsmidler.",
        "Kvalifisering av yrkeshemmede deltakere (for eksempel kjøp av ekstern opplæring "
        "/undervisning",
        "Eventuelle fellesutgifter med andre avdelinger hos tiltaksarrangør skal spesifiseres "
        "og dokumenteres",
        "Eventuelt overskudd, som overføres til neste års drift.",
    ),
}


@pytest.mark.parametrize("type_navn", sorted(AMB_LEDETEKSTER))
def test_every_amb_label_is_nav_s_own_text(type_navn: str) -> None:
    """The AMB types' expected labels are the AMB seed's words, not ours."""
    seed = _flat(AMB_SEED.read_text(encoding="utf-8"))
    assert [lbl for lbl in AMB_LEDETEKSTER[type_navn] if _flat(lbl) not in seed] == []


@pytest.mark.parametrize("type_navn", sorted(AMB_LEDETEKSTER))
def test_every_amb_label_is_in_the_filled_document_in_the_seeds_order(type_navn: str) -> None:
    """Each heading and question of the section appears word for word, in the seed's order."""
    text = _flat(" \n ".join(_paragraphs(type_navn)))
    labels = AMB_LEDETEKSTER[type_navn]
    assert [lbl for lbl in labels if _flat(lbl) not in text] == []
    positions = [text.index(_flat(lbl)) for lbl in labels]
    assert positions == sorted(positions)


# The praksisplass routine's documents (issue 17). The routine
# (``shared/kilder/praksisplass-rutiner.txt``) has no form: the headings and labels are ours,
# in the document's order; each sentence of the routine a document prints is its own word
# for word.
RUTINE = SHARED / "kilder" / "praksisplass-rutiner.txt"

LEDETEKSTER_PRAKSIS: dict[str, tuple[str, ...]] = {
    "tilretteleggingsgaranti": (
        "Tilretteleggingsgaranti",
        "Garanti for oppfølging og tilrettelegging i praksisplassen",
        "Tiltaksarrangør:",
        "Avtalenummer / tiltaksnummer:",
        "Arbeidsgiver:",
        "Kontaktperson hos arbeidsgiver:",
        "Deltaker:",
        "Fødselsnummer:",
        "Praksisplassen",
        "Type praksisplass:",
        "Avdeling:",
        "Arbeidsoppgaver:",
        "Oppstart:",
        "Planlagt sluttdato:",
        "Dette garanterer tiltaksarrangøren",
        "Tilrettelegging tiltaksarrangøren tilbyr:",
        "Oppfølging fra tiltaksarrangøren:",
        "Veileder hos tiltaksarrangør:",
        "Når noe ikke går som avtalt",
        "Ved fravær:",
        "Når noe annet ikke fungerer:",
        "Underskrifter",
        "Arbeidsgiver",
        "Deltaker",
        "Tiltaksarrangør",
        "Sted og dato:",
        "Underskrift:",
    ),
    "oppfolgingsplan": (
        "Oppfølgingsplan",
        "Oppfølging av deltaker og arbeidsgiver i praksisplassen",
        "Tiltaksarrangør:",
        "Avtalenummer / tiltaksnummer:",
        "Arbeidsgiver:",
        "Kontaktperson hos arbeidsgiver:",
        "Deltaker:",
        "Fødselsnummer:",
        "Veileder hos tiltaksarrangør:",
        "Praksisplassen",
        "Type praksisplass:",
        "Avdeling:",
        "Arbeidsoppgaver:",
        "Oppstart:",
        "Sluttdato:",
        "Mål",
        "Målsetting med praksisplassen:",
        "Yrkesmål:",
        "Tilrettelegging",
        "Oppfølging",
        "Hvem følger opp, og hvor ofte:",
        "Hva",
        "Hvem",
        "Når / hvor ofte",
        "Evaluering og avslutning",
        "Underskrifter",
        "Arbeidsgiver",
        "Deltaker",
        "Tiltaksarrangør",
        "Sted og dato:",
        "Underskrift:",
    ),
}

# The routine's sentences each document prints, word for word.
RUTINESITATER: dict[str, tuple[str, ...]] = {
    "tilretteleggingsgaranti": (
        "Det skal gis ut Tilretteleggingsgaranti for alle tiltaksplassene, uansett praksisform.",
        "Hovedregelen er at vi avtaler med arbeidsgiver at de sender en mail til oss ved "
        "manglende oppmøte slik at vi kan ta oss av det.",
    ),
    "oppfolgingsplan": (),
}


@pytest.mark.parametrize("type_navn", sorted(LEDETEKSTER_PRAKSIS))
def test_a_placement_document_s_labels_stand_in_order(type_navn: str) -> None:
    """Each of our headings and labels is in the filled document, in the listed order."""
    text = _flat(" \n ".join(_paragraphs(type_navn)))
    at = 0
    for lbl in LEDETEKSTER_PRAKSIS[type_navn]:
        found = text.find(_flat(lbl), at)
        assert found >= 0, f"«{lbl}» is missing or out of order"
        at = found + len(_flat(lbl))


@pytest.mark.parametrize("type_navn", sorted(RUTINESITATER))
def test_the_routine_s_sentences_are_printed_word_for_word(type_navn: str) -> None:
    """A sentence quoted from the routine is the routine's own, and the document prints it."""
    rutine = _flat(RUTINE.read_text(encoding="utf-8"))
    text = _flat(" \n ".join(_paragraphs(type_navn)))
    for setning in RUTINESITATER[type_navn]:
        assert _flat(setning) in rutine
        assert _flat(setning) in text


def test_the_routine_sentences_the_model_quotes_are_the_routine_s() -> None:
    """The model's constants, which the template prints, hold the routine's words."""
    from dokgen.documents.models.tilretteleggingsgaranti import RUTINE_FRAVAER, RUTINE_GARANTI

    rutine = _flat(RUTINE.read_text(encoding="utf-8"))
    assert _flat(RUTINE_GARANTI) in rutine
    assert _flat(RUTINE_FRAVAER) in rutine
    assert RUTINESITATER["tilretteleggingsgaranti"] == (RUTINE_GARANTI, RUTINE_FRAVAER)
