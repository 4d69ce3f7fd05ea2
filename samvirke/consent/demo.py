"""Demo data for consent (issue 16): landsdel Sjælland's operators with a demo user each, the consent text, the data
processing agreements (one per operator and controller: the region and its 17 municipalities) with accessions,
sub-processors and one audit statement overdue, and a ProgrammeCitizen with consent for every current enrolment of
telecare's demo (refs SJ-000001 …): synthetic Danish names and addresses with coordinates inside the municipality.

Written through consent's actions, except the ~750 citizens and their consents: the actions write one citizen (with
its audit entry, hash-chained, and its signals) at a time, which took seed-demo ~30 s for the +24-month volume.
They are written here in two bulk inserts with the same fields the actions would set (no CPR, the municipality in
the landsdel's region, consent for every operator kind) and one audit entry for the load; the few consents by proxy
and the withdrawals go through `do_record_consent`/`do_withdraw_consent`. No signal is sent for the bulk: kits/demo.py
builds the installed kits and their completed set-up tasks itself.

Safe to run again: a current enrolment that already has its citizen is left alone, so a second run on the same day
writes nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.consent.actions import (
    DATA_CATEGORIES,
    PURPOSES,
    do_accede,
    do_add_sub_processor,
    do_record_audit_statement,
    do_record_consent,
    do_sign_agreement,
    do_withdraw_consent,
)
from samvirke.consent.models import (
    Consent,
    ConsentText,
    DataProcessingAgreement,
    DpaTemplate,
    Operator,
    OperatorKind,
    OperatorUser,
    ProgrammeCitizen,
    ReferrerKind,
    SubProcessor,
    Urgency,
)
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.hours import is_closed_day
from samvirke.directory.models import Municipality, Person, Role
from samvirke.telecare.models import Enrolment, Landsdel

SEED = 16
CONSENT_VERSION = "1.0"
CONSENT_BODY = (
    "Jeg giver samtykke til, at mine oplysninger (identitet, kontaktoplysninger, at jeg deltager i det telemedicinske "
    "forløb og mine målinger) må videregives til de typer af operatører, der er krydset af, til de formål, der er "
    "nævnt: opsætning og logistik, support, service og drift samt monitorering. Samtykket gælder de diagnoser, der "
    "er nævnt. Jeg kan til enhver tid trække samtykket tilbage; så stopper al videregivelse med det samme."
)
ALL_KINDS = [kind.value for kind in OperatorKind]

# (kind, operator name, username, first name, last name). Invented firms; CVR left blank.
OPERATORS: list[tuple[str, str, str, str, str]] = [
    (OperatorKind.SERVICE, "TeleService Sjælland A/S", "service-sjaelland", "Sofie", "Service"),
    (OperatorKind.SUPPORT, "Sjællands Telesupport ApS", "support-sjaelland", "Søren", "Support"),
    (OperatorKind.LOGISTICS, "Hjemmeudstyr Logistik A/S", "logistik-sjaelland", "Lars", "Logistik"),
    (OperatorKind.HEALTH, "Region Sjælland, Telemedicinsk Monitorering", "sundhed-sjaelland", "Hanne", "Sygeplejerske"),
]
# Two more technicians for the logistics operator, so the day plan has three routes.
TECHNICIANS: list[tuple[str, str, str]] = [
    ("tekniker-sjaelland-1", "Tobias", "Tekniker"),
    ("tekniker-sjaelland-2", "Tina", "Tekniker"),
]
SUB_PROCESSORS: dict[str, list[tuple[str, str]]] = {
    OperatorKind.SERVICE: [
        ("Nordisk Hosting A/S", "drift af måleplatformen"),
        ("MDM Danmark ApS", "mobil enhedsstyring"),
    ],
    OperatorKind.SUPPORT: [("Samtale Telefoni A/S", "telefoniplatform")],
    OperatorKind.LOGISTICS: [("Budbilen Sjælland ApS", "kørsel af udstyr"), ("RenTek ApS", "rengøring af udstyr")],
}

# kommunekode → (name of the main town's postcode, postcode, latitude, longitude of the town centre). Coordinates
# rounded from the towns' centres; the demo jitters them by at most ~2 km, which keeps them inside the municipality.
MUNICIPALITY_CENTRES: dict[int, tuple[str, str, float, float]] = {
    253: ("Greve", "2670", 55.583, 12.300),
    259: ("Køge", "4600", 55.458, 12.182),
    265: ("Roskilde", "4000", 55.642, 12.080),
    269: ("Solrød Strand", "2680", 55.536, 12.207),
    306: ("Nykøbing Sj", "4500", 55.905, 11.665),
    316: ("Holbæk", "4300", 55.717, 11.713),
    320: ("Faxe", "4640", 55.256, 12.119),
    326: ("Kalundborg", "4400", 55.680, 11.100),
    329: ("Ringsted", "4100", 55.443, 11.790),
    330: ("Slagelse", "4200", 55.403, 11.354),
    336: ("Store Heddinge", "4660", 55.310, 12.388),
    340: ("Sorø", "4180", 55.432, 11.556),
    350: ("Lejre", "4320", 55.604, 11.975),
    360: ("Maribo", "4930", 54.776, 11.500),
    370: ("Næstved", "4700", 55.230, 11.761),
    376: ("Nykøbing F", "4800", 54.766, 11.874),
    390: ("Vordingborg", "4760", 55.009, 11.911),
}
JITTER_DEGREES = 0.018

FIRST_NAMES = [
    "Anne",
    "Birthe",
    "Bente",
    "Else",
    "Grethe",
    "Hanne",
    "Inge",
    "Jytte",
    "Karen",
    "Kirsten",
    "Lis",
    "Lone",
    "Marianne",
    "Merete",
    "Birgit",
    "Susanne",
    "Ulla",
    "Vibeke",
    "Hans",
    "Jens",
    "Niels",
    "Jørgen",
    "Poul",
    "Ole",
    "Erik",
    "Henrik",
    "Peter",
    "Bent",
    "Flemming",
    "Leif",
    "Kurt",
    "Per",
    "Finn",
    "Carsten",
    "Torben",
    "Svend",
    "Preben",
]
LAST_NAMES = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Frederiksen",
    "Holm",
    "Lund",
]
STREETS = [
    "Skovvej",
    "Møllevej",
    "Kirkevej",
    "Bakkevej",
    "Engvej",
    "Stationsvej",
    "Vestergade",
    "Østergade",
    "Nørregade",
    "Søndergade",
    "Toftevej",
    "Birkevej",
    "Egevej",
    "Lærkevej",
    "Rosenvænget",
    "Strandvejen",
    "Hovedgaden",
    "Markvej",
    "Solsikkevej",
    "Kastanievej",
]
MEASUREMENTS = (
    "Stabil; vægt og saturation måles tre gange om ugen.",
    "Saturation 92–94 % i hvile; lægen orienteret ved fald under 90 %.",
    "Vægtstigning på 2 kg på en uge sidste måned; følges.",
    "Måler dagligt; ingen alarmer de seneste fire uger.",
)


@dataclass(frozen=True)
class DemoPeople:
    """The operators' demo users by username (made now or before)."""

    by_username: dict[str, Person]


def _working_days_before(day: dt.date, count: int) -> dt.date:
    current = day
    while count:
        current -= dt.timedelta(days=1)
        if current.weekday() < 5 and not is_closed_day(current):
            count -= 1
    return current


def _operators(landsdel: Landsdel, password_hash: str) -> DemoPeople:
    people: dict[str, Person] = {}
    for kind, name, username, first, last in OPERATORS:
        operator = Operator.objects.filter(landsdel=landsdel, name=name).first()
        if operator is None:
            operator = Operator.objects.create(landsdel=landsdel, name=name, kind=kind)
            record(None, "consent.demo_operator_created", operator, {"kind": str(kind)})
        users = [(username, first, last)] + (TECHNICIANS if kind == OperatorKind.LOGISTICS else [])
        for user, first_name, last_name in users:
            person, created = Person.objects.get_or_create(
                username=user,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "role": Role.NONE,
                    "password": password_hash,
                },
            )
            if created or not OperatorUser.objects.filter(person=person).exists():
                OperatorUser.objects.get_or_create(person=person, defaults={"operator": operator})
                record(None, "consent.demo_operator_user", operator, {"username": user})
            people[user] = person
    return DemoPeople(people)


def _texts() -> ConsentText:
    text = ConsentText.objects.filter(version=CONSENT_VERSION).first()
    if text is None:
        text = ConsentText.objects.create(version=CONSENT_VERSION, body=CONSENT_BODY, active=True)
        record(None, "consent.demo_text_created", text)
    for kind, label in OperatorKind.choices:
        if not DpaTemplate.objects.filter(operator_kind=kind).exists():
            template = DpaTemplate.objects.create(
                operator_kind=kind,
                version="2025.1",
                body=f"Databehandleraftale for {str(label).lower()} i telemedicinsk hjemmemonitorering (KOL): "
                "behandling kun efter instruks, fortrolighed, sikkerhed, underdatabehandlere med forudgående "
                "underretning, bistand, sletning eller tilbagelevering ved ophør, årlig revisionserklæring.",
            )
            record(None, "consent.demo_template_created", template)
    return text


def _agreements(landsdel: Landsdel, today: dt.date) -> int:
    """One agreement per operator and controller, signed when the programme started, acceded to by every
    participant; audit statements received on time except the health staff's region agreement (overdue)."""
    if DataProcessingAgreement.objects.filter(operator__landsdel=landsdel).exists():
        return 0
    start = dt.date(landsdel.first_year, 1, 2)
    municipalities = list(Municipality.objects.filter(region=landsdel.region_id).order_by("code"))
    made = 0
    for operator in Operator.objects.filter(landsdel=landsdel).order_by("kind"):
        controllers: list[tuple[str, dict[str, object]]] = [(landsdel.region.name, {"region": landsdel.region})]
        controllers += [(f"{m.name} Kommune", {"municipality": m}) for m in municipalities]
        for participant, controller in controllers:
            agreement = do_sign_agreement(None, operator, signed_at=start, **controller)  # type: ignore[arg-type]
            do_accede(None, agreement, participant, start)
            do_accede(None, agreement, operator.name, start)
            overdue = operator.kind == OperatorKind.HEALTH and "region" in controller
            due = agreement.audit_statement_due
            if not overdue and due is not None and due <= today:
                do_record_audit_statement(None, agreement, due - dt.timedelta(days=14))
            made += 1
        for name, service in SUB_PROCESSORS.get(operator.kind, []):
            do_add_sub_processor(None, operator, name=name, service=service, since=start)
    # One replacement with notice: the logistics operator changed its cleaning firm last autumn.
    logistics = Operator.objects.filter(landsdel=landsdel, kind=OperatorKind.LOGISTICS).first()
    old = SubProcessor.objects.filter(operator=logistics, name="RenTek ApS").first()
    if logistics is not None and old is not None:
        change = dt.date(landsdel.first_year, 10, 1)
        if change < today:
            do_add_sub_processor(
                None,
                logistics,
                name="Klinisk Rengøring A/S",
                service="rengøring af udstyr",
                since=change,
                replaces=old,
                notified_at=change - dt.timedelta(days=30),
            )
    return made


def _synthetic(rng: random.Random, code: int) -> dict[str, object]:
    town, postcode, lat, lon = MUNICIPALITY_CENTRES[code]
    return {
        "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "address": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        "postcode": postcode,
        "city": town,
        "phone": f"{rng.choice('2345678')}{rng.randint(0, 9_999_999):07d}",
        "latitude": Decimal(f"{lat + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES):.6f}"),
        "longitude": Decimal(f"{lon + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES) * 1.7:.6f}"),
    }


def citizen_fields(rng: random.Random, municipality: Municipality, referred_at: dt.date) -> dict[str, object]:
    """A synthetic referral (kits' and telesupport's demos and the simulator refer citizens with it too)."""
    hospital = rng.random() < 0.3
    return {
        **_synthetic(rng, municipality.code),
        "municipality": municipality,
        "referred_at": referred_at,
        "referrer_kind": ReferrerKind.HOSPITAL if hospital else ReferrerKind.MUNICIPALITY,
        "referrer_name": (
            f"{MUNICIPALITY_CENTRES[municipality.code][0]}, lungemedicinsk ambulatorium"
            if hospital
            else f"{municipality.name} Kommune, sundhedscenter"
        ),
        "urgency": Urgency.URGENT if rng.random() < 0.05 else Urgency.STANDARD,
        "self_collect": rng.random() < 0.05,
        "measurements_note": rng.choice(MEASUREMENTS),
    }


def _citizens(landsdel: Landsdel, today: dt.date, text: ConsentText) -> tuple[int, int]:
    """A citizen with consent for every current enrolment (and for those that ended in the last week: kits' demo
    gives them a take-down task) that has none yet. Returns (citizens made, consents by proxy or withdrawn)."""
    week_ago = today - dt.timedelta(days=7)
    enrolments = list(
        Enrolment.objects.filter(landsdel=landsdel, enrolled_from__lte=today)
        .exclude(enrolled_to__lt=week_ago)
        .select_related("municipality")
        .order_by("citizen_ref", "enrolled_from")
    )
    having = set(ProgrammeCitizen.objects.filter(landsdel=landsdel).values_list("citizen_ref", flat=True))
    new: list[ProgrammeCitizen] = []
    for enrolment in enrolments:
        if enrolment.citizen_ref in having:
            continue
        having.add(enrolment.citizen_ref)
        rng = random.Random(f"{SEED}-{enrolment.citizen_ref}")  # noqa: S311 (demo data) — the same citizen on every run, whatever is new
        fields = citizen_fields(rng, enrolment.municipality, _working_days_before(enrolment.enrolled_from, 1))
        fields["referred_at"] = _working_days_before(enrolment.enrolled_from, rng.randint(3, 13))
        ended = enrolment.enrolled_to if enrolment.enrolled_to is not None and enrolment.enrolled_to <= today else None
        new.append(
            ProgrammeCitizen(
                landsdel=landsdel,
                citizen_ref=enrolment.citizen_ref,
                enrolled_at=enrolment.enrolled_from,
                ended_at=ended,
                **fields,
            )
        )
    if not new:
        return 0, 0
    ProgrammeCitizen.objects.bulk_create(new, batch_size=500)
    made = list(ProgrammeCitizen.objects.filter(landsdel=landsdel, citizen_ref__in=[c.citizen_ref for c in new]))
    plain = [c for c in made if not _special(c.citizen_ref)]
    Consent.objects.bulk_create(
        [
            Consent(
                citizen=citizen,
                text_version=text,
                data_categories=list(DATA_CATEGORIES),
                purposes=list(PURPOSES),
                operator_kinds=ALL_KINDS,
                diagnoses=["KOL"],
                given_at=_given_at(citizen),
            )
            for citizen in plain
        ],
        batch_size=500,
    )
    record(
        None,
        "consent.demo_citizens_loaded",
        landsdel,
        {"citizens": len(made), "consents": len(plain), "why_bulk": "demo volume; see consent/demo.py"},
    )
    special = 0
    for citizen in made:
        kind = _special(citizen.citizen_ref)
        if kind is None:
            continue
        special += 1
        consent = do_record_consent(
            None,
            citizen,
            operator_kinds=ALL_KINDS,
            diagnoses=["KOL", "hjertesvigt"] if kind == "proxy" else ["KOL"],
            given_at=_given_at(citizen),
            by_proxy=kind == "proxy",
            proxy_name="Pårørende (datter)" if kind == "proxy" else "",
            proxy_authority="Fremtidsfuldmagt" if kind == "proxy" else "",
        )
        if kind == "withdrawn":
            do_withdraw_consent(None, consent)
    return len(made), special


def _special(citizen_ref: str) -> str | None:
    """Every 60th citizen consents by proxy, every 150th has withdrawn the consent (a few of each)."""
    number = int(citizen_ref.rsplit("-", 1)[-1]) if citizen_ref.rsplit("-", 1)[-1].isdigit() else 0
    if number and number % 150 == 0:
        return "withdrawn"
    if number and number % 60 == 0:
        return "proxy"
    return None


def _given_at(citizen: ProgrammeCitizen) -> dt.datetime:
    return dt.datetime.combine(citizen.referred_at, dt.time(11, 0), tzinfo=LOCAL)


def load_demo_consent(landsdel: Landsdel, today: dt.date, password_hash: str) -> tuple[str, DemoPeople]:
    """The operators and their users (`password_hash`: the demo password, hashed once by seed-demo), the texts, the
    agreements and the citizens. Returns the summary line and the operator users."""
    people = _operators(landsdel, password_hash)
    text = _texts()
    agreements = _agreements(landsdel, today)
    citizens, special = _citizens(landsdel, today, text)
    overdue = DataProcessingAgreement.objects.filter(
        operator__landsdel=landsdel, audit_statement_due__lt=today, terminated_at__isnull=True
    ).count()
    in_programme = ProgrammeCitizen.objects.filter(
        landsdel=landsdel, enrolled_at__isnull=False, ended_at__isnull=True
    ).count()
    now = timezone.now()
    withdrawn = Consent.objects.filter(citizen__landsdel=landsdel, withdrawn_at__lte=now).count()
    return (
        f"Samtykke: {Operator.objects.filter(landsdel=landsdel).count()} operatører, "
        f"{DataProcessingAgreement.objects.filter(operator__landsdel=landsdel).count()} databehandleraftaler "
        f"({agreements} nye, {overdue} med revisionserklæring over tid), {in_programme} borgere i programmet "
        f"({citizens} nye; {special} med samtykke ved stedfortræder eller tilbagekaldt, {withdrawn} tilbagekaldt). "
        "Se /samtykke/ (sekretariat, region, operatørerne).",
        people,
    )
