"""Every URL Samvirke serves, walked from the URL configuration: an anonymous visitor is sent to the login page
(the API answers 401), the outsider — a coordinator of Aarhus, which is not a member — is refused with 403.

A few URLs are public on purpose; each is in PUBLIC with its reason. A URL that is in neither PAGES, API nor
PUBLIC fails `test_every_url_has_had_a_decision`: a new page cannot slip in without someone deciding who may
see it. The Django admin's URLs are checked as one group: the admin site guards every one of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from samvirke.consent.actions import do_record_consent, do_refer_citizen
from samvirke.consent.models import ConsentText
from samvirke.contact.actions import do_start_chat
from samvirke.contact.models import Queue
from samvirke.directory.models import Fellesskab, FellesskabService, Municipality, Person
from samvirke.economy.actions.invoicing import do_run_invoicing, do_save_economy_settings
from samvirke.economy.demo_business_cases import load_demo_business_cases
from samvirke.economy.models import BusinessCase, Invoice
from samvirke.kits.actions import do_order_units
from samvirke.kits.models import DayPlan, DeviceModel, LogisticsTask
from samvirke.knowledge.models import CrisisNotice, ExampleQuestion, GuideRevision
from samvirke.onboarding.actions import do_create_cohort, do_create_intake
from samvirke.preparedness.models import Crisis, SurgeRequest
from samvirke.staffing.access import agent_feed_token
from samvirke.staffing.models import Rota, SwapRequest
from samvirke.telecare.models import Landsdel
from samvirke.training.models import MedLytBooking, MedLytSession
from tests.conftest import AARHUS, HOLBAEK, client_for
from tests.knowledge.conftest import small_knowledge  # noqa: F401  (a fixture, used by name)


@dataclass(frozen=True)
class Page:
    """A page behind login. `methods`: what the view answers; "POST" alone is a form's target."""

    url: str
    methods: tuple[str, ...] = ("GET",)


# The URL for each pattern, with {placeholders} filled from real objects made by `world` below.
PAGES: dict[str, Page] = {
    "": Page("/"),
    "medlemmer/": Page("/medlemmer/"),
    "kommuner/<int:code>/": Page("/kommuner/316/"),
    "kommuner/<int:code>/status/": Page("/kommuner/316/status/", ("POST",)),
    # economy
    "oekonomi/": Page("/oekonomi/"),
    "oekonomi/<int:year>.xlsx": Page("/oekonomi/2025.xlsx"),
    "oekonomi/model/<int:year>/": Page("/oekonomi/model/2025/", ("GET", "POST")),
    "oekonomi/scenarier/": Page("/oekonomi/scenarier/"),
    "oekonomi/fakturaer/": Page("/oekonomi/fakturaer/"),
    "oekonomi/fakturaer/koer/": Page("/oekonomi/fakturaer/koer/?aar=2025", ("GET", "POST")),
    "oekonomi/fakturaer/<int:pk>/": Page("/oekonomi/fakturaer/{invoice}/"),
    "oekonomi/fakturaer/<int:year>.xlsx": Page("/oekonomi/fakturaer/2025.xlsx"),
    "oekonomi/vagttimer/": Page("/oekonomi/vagttimer/"),
    "oekonomi/kontaktpris/": Page("/oekonomi/kontaktpris/"),
    "oekonomi/pilotbevilling/": Page("/oekonomi/pilotbevilling/"),
    "oekonomi/business-cases/": Page("/oekonomi/business-cases/"),
    "oekonomi/business-cases/ny/": Page("/oekonomi/business-cases/ny/", ("GET", "POST")),
    "oekonomi/business-cases/skabelon.xlsx": Page("/oekonomi/business-cases/skabelon.xlsx"),
    "oekonomi/business-cases/portefoelje/<int:code>/": Page("/oekonomi/business-cases/portefoelje/316/"),
    "oekonomi/business-cases/<int:pk>/": Page("/oekonomi/business-cases/{case}/"),
    "oekonomi/business-cases/<int:pk>/rediger/": Page("/oekonomi/business-cases/{case}/rediger/", ("GET", "POST")),
    "oekonomi/business-cases/<int:pk>/tabel/": Page("/oekonomi/business-cases/{case}/tabel/", ("POST",)),
    "oekonomi/business-cases/<int:pk>/status/": Page("/oekonomi/business-cases/{case}/status/", ("POST",)),
    "oekonomi/business-cases/<int:pk>/slet/": Page("/oekonomi/business-cases/{case}/slet/", ("POST",)),
    "oekonomi/business-cases/<int:pk>/risici/": Page("/oekonomi/business-cases/{case}/risici/", ("POST",)),
    "oekonomi/business-cases/<int:pk>/risici/<int:item_pk>/slet/": Page(
        "/oekonomi/business-cases/{case}/risici/{risk}/slet/", ("POST",)
    ),
    "oekonomi/business-cases/<int:pk>/kpi/": Page("/oekonomi/business-cases/{case}/kpi/", ("POST",)),
    "oekonomi/business-cases/<int:pk>/kpi/<int:item_pk>/slet/": Page(
        "/oekonomi/business-cases/{case}/kpi/{kpi}/slet/", ("POST",)
    ),
    "oekonomi/business-cases/<int:pk>/tidsplan/": Page("/oekonomi/business-cases/{case}/tidsplan/", ("POST",)),
    "oekonomi/business-cases/<int:pk>/tidsplan/<int:item_pk>/slet/": Page(
        "/oekonomi/business-cases/{case}/tidsplan/{milestone}/slet/", ("POST",)
    ),
    "oekonomi/business-cases/<int:pk>/scenarier/": Page("/oekonomi/business-cases/{case}/scenarier/", ("POST",)),
    "oekonomi/business-cases/<int:pk>/scenarier/<int:item_pk>/slet/": Page(
        "/oekonomi/business-cases/{case}/scenarier/{scenario}/slet/", ("POST",)
    ),
    "oekonomi/business-cases/<int:pk>/eksport.xlsx": Page("/oekonomi/business-cases/{case}/eksport.xlsx"),
    "oekonomi/business-cases/<int:pk>/eksport.json": Page("/oekonomi/business-cases/{case}/eksport.json"),
    # the contact centre
    "kontaktcenter/": Page("/kontaktcenter/"),
    "kontaktcenter/skrivebord/": Page("/kontaktcenter/skrivebord/"),
    "kontaktcenter/status/": Page("/kontaktcenter/status/", ("POST",)),
    "kontaktcenter/besvar/": Page("/kontaktcenter/besvar/", ("POST",)),
    "kontaktcenter/tag/": Page("/kontaktcenter/tag/", ("POST",)),
    "kontaktcenter/registrer/": Page("/kontaktcenter/registrer/", ("POST",)),
    "kontaktcenter/registrer/<int:contact_id>/": Page("/kontaktcenter/registrer/{chat}/"),
    "kontaktcenter/kladde/": Page("/kontaktcenter/kladde/", ("POST",)),
    "kontaktcenter/viderestil/": Page("/kontaktcenter/viderestil/", ("POST",)),
    "kontaktcenter/guides/": Page("/kontaktcenter/guides/"),
    "kontaktcenter/guides/forslag/": Page("/kontaktcenter/guides/forslag/"),
    "kontaktcenter/chat/send/": Page("/kontaktcenter/chat/send/", ("POST",)),
    "kontaktcenter/tavle/": Page("/kontaktcenter/tavle/"),
    "kontaktcenter/rapporter/": Page("/kontaktcenter/rapporter/"),
    "kontaktcenter/rapporter/kontakter.<str:fmt>": Page("/kontaktcenter/rapporter/kontakter.csv"),
    # staffing
    "beredskab/": Page("/beredskab/"),
    "beredskab/slaa-til/": Page("/beredskab/slaa-til/", ("POST",)),
    "beredskab/<int:crisis_id>/slaa-fra/": Page("/beredskab/{crisis}/slaa-fra/", ("POST",)),
    "beredskab/<int:crisis_id>/forstaerkning/": Page("/beredskab/{crisis}/forstaerkning/", ("POST",)),
    "beredskab/forstaerkning/<int:request_id>/svar/": Page("/beredskab/forstaerkning/{surge}/svar/", ("POST",)),
    "bemanding/": Page("/bemanding/", ("GET", "POST")),
    "bemanding/kalender/<int:code>.ics": Page("/bemanding/kalender/316.ics"),
    "bemanding/mine-vagter.ics": Page("/bemanding/mine-vagter.ics"),
    "bemanding/<str:week>/": Page("/bemanding/{week}/"),
    "bemanding/<str:week>/opbygning/": Page("/bemanding/{week}/opbygning/"),
    "bemanding/<str:week>/offentliggoer/": Page("/bemanding/{week}/offentliggoer/", ("POST",)),
    "bemanding/<str:week>/vagtplan.xlsx": Page("/bemanding/{week}/vagtplan.xlsx"),
    "bemanding/<str:week>/<int:code>/": Page("/bemanding/{week}/316/"),
    "bemanding/<str:week>/<int:code>/byt/": Page("/bemanding/{week}/316/byt/", ("POST",)),
    "bemanding/<str:week>/<int:code>/anmodninger/<int:pk>/accepter/": Page(
        "/bemanding/{week}/253/anmodninger/{swap_request}/accepter/", ("POST",)
    ),
    # training
    "uddannelse/": Page("/uddannelse/"),
    "uddannelse/med-lyt/ny/": Page("/uddannelse/med-lyt/ny/", ("POST",)),
    "uddannelse/bookinger/<int:pk>/deltog/": Page("/uddannelse/bookinger/{booking}/deltog/", ("POST",)),
    "uddannelse/<int:person_id>/trin/": Page("/uddannelse/{trainee}/trin/", ("POST",)),
    "uddannelse/<int:person_id>/book/": Page("/uddannelse/{trainee}/book/", ("POST",)),
    "bemanding/<str:week>/<int:code>/anmodninger/<int:pk>/afvis/": Page(
        "/bemanding/{week}/253/anmodninger/{swap_request}/afvis/", ("POST",)
    ),
    # onboarding
    "optagelse/": Page("/optagelse/"),
    "optagelse/ny/": Page("/optagelse/ny/", ("GET", "POST")),
    "optagelse/plan/": Page("/optagelse/plan/"),
    "optagelse/hold/": Page("/optagelse/hold/", ("POST",)),
    "optagelse/tidslinje/": Page("/optagelse/tidslinje/"),
    "optagelse/kommune/<int:code>/": Page("/optagelse/kommune/350/"),
    "optagelse/kommune/<int:code>/punkt/<int:pk>/": Page("/optagelse/kommune/350/punkt/{checklist_item}/", ("POST",)),
    "optagelse/kommune/<int:code>/tilsidesaet/": Page("/optagelse/kommune/350/tilsidesaet/", ("POST",)),
    # telemedicine
    "telemedicin/": Page("/telemedicin/"),
    "telemedicin/<slug:slug>/": Page("/telemedicin/sjaelland/"),
    "telemedicin/<slug:slug>/<int:year>.xlsx": Page("/telemedicin/sjaelland/2025.xlsx"),
    "telemedicin/<slug:slug>/indstillinger/": Page("/telemedicin/sjaelland/indstillinger/", ("POST",)),
    "telemedicin/<slug:slug>/indskrivninger/": Page("/telemedicin/sjaelland/indskrivninger/", ("POST",)),
    "telemedicin/<slug:slug>/prognose/": Page("/telemedicin/sjaelland/prognose/", ("POST",)),
    "telemedicin/<slug:slug>/kvartal/": Page("/telemedicin/sjaelland/kvartal/", ("GET", "POST")),
    "telemedicin/<slug:slug>/afslut/": Page("/telemedicin/sjaelland/afslut/", ("POST",)),
    "telemedicin/<slug:slug>/tilkoeb/forbrug/": Page("/telemedicin/sjaelland/tilkoeb/forbrug/", ("POST",)),
    "telemedicin/<slug:slug>/tilkoeb/fakturer/": Page("/telemedicin/sjaelland/tilkoeb/fakturer/", ("POST",)),
    # consent (issue 16): citizens in telemedicine, consents, data processing agreements
    "samtykke/": Page("/samtykke/"),
    "samtykke/borgere.xlsx": Page("/samtykke/borgere.xlsx"),
    "samtykke/borgere/<int:pk>/": Page("/samtykke/borgere/{programme_citizen}/"),
    "samtykke/borgere/<int:pk>/samtykke/": Page("/samtykke/borgere/{programme_citizen}/samtykke/", ("POST",)),
    "samtykke/samtykker/<int:pk>/tilbagekald/": Page("/samtykke/samtykker/{consent}/tilbagekald/", ("POST",)),
    "samtykke/samtykker/<int:pk>/udskrift/": Page("/samtykke/samtykker/{consent}/udskrift/"),
    "samtykke/databehandleraftaler/": Page("/samtykke/databehandleraftaler/"),
    # consent's forms (issue 16): referral, enrolment, end of course; the agreements' writes. Access is decided
    # before any lookup, so agreement 1 need not exist for the outsider's 403.
    "samtykke/borgere/henvis/": Page("/samtykke/borgere/henvis/", ("GET", "POST")),
    "samtykke/borgere/<int:pk>/indskriv/": Page("/samtykke/borgere/{programme_citizen}/indskriv/", ("POST",)),
    "samtykke/borgere/<int:pk>/afslut/": Page("/samtykke/borgere/{programme_citizen}/afslut/", ("POST",)),
    "samtykke/databehandleraftaler/ny/": Page("/samtykke/databehandleraftaler/ny/", ("POST",)),
    "samtykke/databehandleraftaler/underdatabehandlere/": Page(
        "/samtykke/databehandleraftaler/underdatabehandlere/", ("POST",)
    ),
    "samtykke/databehandleraftaler/<int:pk>/tiltraedelse/": Page(
        "/samtykke/databehandleraftaler/1/tiltraedelse/", ("POST",)
    ),
    "samtykke/databehandleraftaler/<int:pk>/revisionserklaering/": Page(
        "/samtykke/databehandleraftaler/1/revisionserklaering/", ("POST",)
    ),
    "samtykke/databehandleraftaler/<int:pk>/ophoer/": Page("/samtykke/databehandleraftaler/1/ophoer/", ("POST",)),
    # telemedicine support (the support operator's desk, cases, trees; steering for the secretariat and region).
    # Access is decided before any lookup, so case 1 need not exist for the outsider's 403.
    "telesupport/": Page("/telesupport/"),
    "telesupport/<slug:slug>/": Page("/telesupport/sjaelland/", ("GET", "POST")),
    "telesupport/sager/<int:pk>/": Page("/telesupport/sager/1/"),
    "telesupport/sager/<int:pk>/handling/": Page("/telesupport/sager/1/handling/", ("POST",)),
    # a case from a call on the telemedicine line (the desk's "Opret supportsag"); refused before the lookup
    "telesupport/kontakter/<int:pk>/sag/": Page("/telesupport/kontakter/1/sag/", ("GET", "POST")),
    "telesupport/<slug:slug>/traeer/<slug:kind>/": Page("/telesupport/sjaelland/traeer/scale/", ("GET", "POST")),
    "telesupport/<slug:slug>/styring/": Page("/telesupport/sjaelland/styring/"),
    # kits and logistics (issue 16): stock, tasks, units, day plans
    "telemedicin/udstyr/": Page("/telemedicin/udstyr/"),
    "telemedicin/udstyr/<slug:slug>/": Page("/telemedicin/udstyr/sjaelland/"),
    "telemedicin/udstyr/<slug:slug>/opgaver/": Page("/telemedicin/udstyr/sjaelland/opgaver/"),
    "telemedicin/udstyr/<slug:slug>/dagsplaner/": Page("/telemedicin/udstyr/sjaelland/dagsplaner/", ("GET", "POST")),
    "telemedicin/udstyr/opgaver/<int:pk>/": Page("/telemedicin/udstyr/opgaver/{logistics_task}/", ("GET", "POST")),
    "telemedicin/udstyr/enheder/<int:pk>/": Page("/telemedicin/udstyr/enheder/{unit}/", ("GET", "POST")),
    "telemedicin/udstyr/dagsplaner/<int:pk>/": Page("/telemedicin/udstyr/dagsplaner/{day_plan}/"),
    "telemedicin/udstyr/dagsplaner/<int:pk>/status/": Page("/telemedicin/udstyr/dagsplaner/{day_plan}/status/"),
    # the knowledge base
    "assistent/status/": Page("/assistent/status/"),
    "vidensbase/": Page("/vidensbase/"),
    "vidensbase/soeg/": Page("/vidensbase/soeg/"),
    "vidensbase/rapporter/kvalitet/": Page("/vidensbase/rapporter/kvalitet/"),
    "vidensbase/rapporter/manglende-svar/": Page("/vidensbase/rapporter/manglende-svar/"),
    "vidensbase/krise/": Page("/vidensbase/krise/", ("GET", "POST")),
    "vidensbase/krise/<int:notice_id>/": Page("/vidensbase/krise/{notice}/", ("GET", "POST")),
    "vidensbase/krise/<int:notice_id>/udgiv/": Page("/vidensbase/krise/{notice}/udgiv/", ("POST",)),
    "vidensbase/ny/": Page("/vidensbase/ny/", ("GET", "POST")),
    "vidensbase/<slug:topic_id>/": Page("/vidensbase/passport/", ("GET", "POST")),
    "vidensbase/<slug:topic_id>/udgiv/": Page("/vidensbase/passport/udgiv/", ("POST",)),
    "vidensbase/<slug:topic_id>/kladde/kasser/": Page("/vidensbase/passport/kladde/kasser/", ("POST",)),
    "vidensbase/<slug:topic_id>/afpublicer/": Page("/vidensbase/passport/afpublicer/", ("POST",)),
    "vidensbase/<slug:topic_id>/eksempler/": Page("/vidensbase/passport/eksempler/", ("POST",)),
    "vidensbase/<slug:topic_id>/eksempler/<int:example_id>/slet/": Page(
        "/vidensbase/passport/eksempler/{example}/slet/", ("POST",)
    ),
    "vidensbase/<slug:topic_id>/variant/<int:code>/": Page("/vidensbase/passport/variant/316/", ("GET", "POST")),
    "vidensbase/<slug:topic_id>/revisioner/<int:revision_id>/": Page("/vidensbase/passport/revisioner/{revision}/"),
}

# The JSON API: django_auth answers 401 "Log ind først." rather than redirecting a program to a login form.
API: dict[str, Page] = {
    "api/directory/members": Page("/api/directory/members"),
    "api/directory/municipalities/<code>": Page("/api/directory/municipalities/316"),
    "api/contact/wallboard": Page("/api/contact/wallboard"),
    "api/telecare/citizens/<ref>": Page("/api/telecare/citizens/SJ-0001"),
}

PUBLIC: dict[str, str] = {
    "favicon.ico": "the site's icon: browsers ask for it on every page, before anyone logs in",
    "login/": "the login form itself",
    "logout/": "logging out needs no permission",
    "admin/login/": "the admin's own login form",
    "admin/logout/": "the admin's own logout; logging out needs no permission",
    "api/": "django-ninja's API root; it only points to the documentation",
    "api/docs": "the API's documentation: describes the endpoints, holds no data (README, Konfiguration)",
    "api/openapi.json": "the API's schema: describes the endpoints, holds no data",
    "api/telephony/events": "the telephony platform posts here; every request must carry an HMAC signature",
    "api/telephony/assignments": "the telephony platform polls here; every request must carry an HMAC signature",
    "bemanding/kalender/agent/<str:token>.ics": "a calendar app subscribes with no session; the token is the key",
    "chat/<int:code>/": "the citizens' chat on a municipality's website: citizens are anonymous",
    "chat/<int:code>/feedback/": "a citizen rates the assistant's answer",
    "chat/<int:code>/medarbejder/": "a citizen asks for a human agent",
    "chat/<int:code>/opringning/": "out of hours a citizen asks to be called back (a number, kept 30 days)",
    "chat/<int:code>/besked/": "out of hours a citizen leaves a message for the hotline",
    "chat/<int:code>/samtale/<str:token>/": "a citizen's chat with an agent, reached by its unguessable token",
    "chat/<int:code>/samtale/<str:token>/skriv/": "the citizen writes in that chat (token)",
    "chat/<int:code>/samtale/<str:token>/afslut/": "the citizen leaves that chat (token)",
    "chat/<int:code>/samtale/<str:token>/vurdering/": "the citizen rates that chat (token)",
}


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route


ALL_ROUTES = sorted(set(_walk(get_resolver().url_patterns)))
ADMIN_ROUTES = [route for route in ALL_ROUTES if route.startswith("admin/") and route not in PUBLIC]


def test_every_url_has_had_a_decision() -> None:
    decided = set(PAGES) | set(API) | set(PUBLIC) | set(ADMIN_ROUTES)
    assert sorted(set(ALL_ROUTES) - decided) == [], "new URLs: add them to PAGES, API or (with a reason) PUBLIC"
    assert sorted(decided - set(ALL_ROUTES)) == [], "these URLs no longer exist: remove them here"
    assert not set(PAGES) & set(PUBLIC) and not set(API) & set(PUBLIC)


@dataclass
class World:
    values: dict[str, object]

    def url(self, page: Page) -> str:
        return page.url.format(**self.values)


@pytest.fixture
def world(
    small_knowledge: object,  # noqa: F811
    secretariat: Person,
    holbaek_agent: Person,
    outsider: Person,
) -> World:
    """One of everything a URL can point to, belonging to the fællesskab (never to Aarhus)."""
    from tests.staffing.test_rota_pages import BUILD, WEEK
    from tests.worker import run_queued_tasks

    fellesskab = Fellesskab.objects.get(service=FellesskabService.HOTLINE)
    holbaek = Municipality.objects.get(code=HOLBAEK)
    do_save_economy_settings(None, fellesskab, 2025, price_per_citizen=Decimal("1.25"))
    do_run_invoicing(None, fellesskab, 2025)
    load_demo_business_cases(None, holbaek)
    case = BusinessCase.objects.filter(municipality=holbaek).order_by("pk").first()
    assert case is not None
    # A week short enough for the three test members to cover (as in tests/staffing/test_rota_pages.py).
    Queue.objects.filter(is_default=True).update(opening_hours={str(d): [["09:00", "14:00"]] for d in range(5)})
    response = client_for(secretariat).post("/bemanding/", BUILD)
    assert response.status_code == 302 and run_queued_tasks() == 1 and Rota.objects.exists()
    notice = CrisisNotice.objects.create(title="Storm", body="Hold dig inde.", starts_at=timezone.now())
    notice.municipalities.add(holbaek)
    chat = do_start_chat(holbaek, "", timezone.now())
    crisis = Crisis.objects.create(
        title="Strømsvigt", notice_text="Bliv inde.", scope="member", stricken=holbaek, started_at=timezone.now()
    )
    surge = SurgeRequest.objects.create(crisis=crisis, municipality=holbaek, requested_at=timezone.now())
    # A swap request from Holbæk to Greve, waiting for Greve's answer.
    rota = Rota.objects.get()
    holbaek_shift = rota.shifts.filter(municipality=holbaek).order_by("pk").first()
    assert holbaek_shift is not None
    swap_request = SwapRequest.objects.create(
        rota=rota,
        from_municipality=holbaek,
        to_municipality=Municipality.objects.get(code=253),
        shift=holbaek_shift,
        shift_agent_id=holbaek_shift.agent_id,
    )

    # Lejre joining, on a cohort with its checklist.
    intake = do_create_intake(
        None, fellesskab, Municipality.objects.get(code=350), "Kim", "kim@lejre.dk", dt.date(2026, 1, 5), None
    )
    do_create_cohort(None, fellesskab, [intake.pk], dt.date(2026, 5, 5))
    # Telemedicine's landsdel Sjælland (Holbæk, Greve … are in it; Aarhus is not).
    landsdel = Landsdel.objects.create(
        name="Sjælland",
        slug="sjaelland",
        region=Municipality.objects.get(code=HOLBAEK).region,
        fellesskab=Fellesskab.objects.create(
            name="Telemedicin Sjælland", slug="telemedicin-sjaelland", service="telemedicine"
        ),
        first_year=2025,
    )
    # A citizen of Holbæk in the landsdel's programme, with a consent (consent, issue 16).
    programme_citizen = do_refer_citizen(
        None,
        landsdel,
        citizen_ref="SJ-0001",
        municipality=HOLBAEK,
        name="Karen Hansen",
        address="Byvej 1",
        postcode="4300",
        city="Holbæk",
        referred_at=dt.date(2025, 3, 3),
        referrer_kind="hospital",
    )
    ConsentText.objects.create(version="2025.1", body="Samtykke …")
    consent = do_record_consent(None, programme_citizen, operator_kinds=["support"])
    # Kits (issue 16): a unit, a set-up task (made when logistics consent is recorded) and a day plan.
    unit = do_order_units(
        None, landsdel, DeviceModel.objects.create(name="BS-410", kind="scale", supplier="X"), ["S-1"]
    )[0]
    do_record_consent(None, programme_citizen, operator_kinds=["logistics"])
    logistics_task = LogisticsTask.objects.get(citizen=programme_citizen)
    day_plan = DayPlan.objects.create(landsdel=landsdel, date=dt.date(2025, 3, 12), requested_at=timezone.now())
    session = MedLytSession.objects.create(date=timezone.localdate(), host=holbaek, capacity=3)
    booking = MedLytBooking.objects.create(session=session, person=holbaek_agent, booked_at=timezone.now())

    def first_pk(queryset: object) -> int:
        item = queryset.order_by("pk").first()  # type: ignore[attr-defined]
        assert item is not None, queryset
        return int(item.pk)

    return World(
        {
            "invoice": first_pk(Invoice.objects.filter(municipality=holbaek)),
            "case": case.pk,
            "risk": first_pk(BusinessCase.objects.get(pk=case.pk).risks),
            "kpi": first_pk(BusinessCase.objects.get(pk=case.pk).kpis),
            "milestone": first_pk(BusinessCase.objects.get(pk=case.pk).milestones),
            "scenario": first_pk(BusinessCase.objects.filter(scenarios__isnull=False).distinct().get().scenarios),
            "week": WEEK,
            "notice": notice.pk,
            "chat": chat.pk,
            "crisis": crisis.pk,
            "surge": surge.pk,
            "example": first_pk(ExampleQuestion.objects.filter(topic_id="passport")),
            "revision": first_pk(GuideRevision.objects.filter(guide__topic_id="passport")),
            "agent_token": agent_feed_token(holbaek_agent),
            "swap_request": swap_request.pk,
            "checklist_item": first_pk(intake.checklist),
            "trainee": holbaek_agent.pk,
            "booking": booking.pk,
            "programme_citizen": programme_citizen.pk,
            "consent": consent.pk,
            "unit": unit.pk,
            "logistics_task": logistics_task.pk,
            "day_plan": day_plan.pk,
        }
    )


def _checked_urls(world: World, table: dict[str, Page]) -> Iterator[tuple[str, Page, str]]:
    for route, page in table.items():
        url = world.url(page)
        # The URL must reach the pattern it stands for, or the check would test some other view.
        assert resolve(url.split("?")[0]).route == route, (route, url)
        yield route, page, url


def test_every_page_sends_an_anonymous_visitor_to_login(world: World) -> None:
    wrong = []
    for route, _page, url in _checked_urls(world, PAGES):
        for method in ("GET", "POST"):  # both, whatever the view answers: login comes first
            response = Client().generic(method, url)
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith("/login/?next="):
                wrong.append(f"{method} {url} ({route}): {response.status_code} {location}")
    assert wrong == []


def test_every_page_refuses_the_outsider(world: World, outsider: Person) -> None:
    assert outsider.municipality is not None and outsider.municipality.code == AARHUS
    client = client_for(outsider)
    wrong = []
    for route, page, url in _checked_urls(world, PAGES):
        for method in page.methods:
            response = client.generic(method, url)
            if response.status_code != 403:
                wrong.append(f"{method} {url} ({route}): {response.status_code}, not 403")
        if page.methods == ("POST",):
            # A form's target may answer GET with 405, but never with the page.
            status = client.get(url).status_code
            if status not in (403, 405):
                wrong.append(f"GET {url} ({route}): {status}, not 403 or 405")
    assert wrong == []


def test_the_api_refuses_anonymous_callers_and_the_outsider(world: World, outsider: Person) -> None:
    wrong = []
    for route, page, url in _checked_urls(world, API):
        for who, client, expected in ((None, Client(), 401), (outsider, client_for(outsider), 403)):
            for method in page.methods:
                response = client.generic(method, url)
                if response.status_code != expected:
                    wrong.append(f"{who or 'anonymous'} {method} {url} ({route}): {response.status_code}")
    assert wrong == []


def _admin_url(route: str) -> str:
    if route.startswith("admin/^"):  # the app index: a regular expression of the registered apps
        return "/admin/directory/"
    if route.endswith("(?P<url>.*)$"):  # the catch-all that answers an unknown admin address
        return "/admin/ingen-side/"
    return "/" + re.sub(r"<[^>]+>", "1", route)


def test_the_admin_sends_everyone_who_is_not_staff_to_its_login(world: World, outsider: Person) -> None:
    assert len(ADMIN_ROUTES) > 20  # every registered model's pages, walked above
    wrong = []
    for route in ADMIN_ROUTES:
        url = _admin_url(route)
        for who, client in (("anonymous", Client()), ("outsider", client_for(outsider))):
            response = client.get(url)
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith("/admin/login/"):
                wrong.append(f"{who} GET {url} ({route}): {response.status_code} {location}")
    assert wrong == []


def test_the_keyed_public_urls_refuse_a_wrong_key(world: World) -> None:
    """Public, but not open: the telephony endpoints need a signature, an agent's calendar its token."""
    anonymous = Client()
    assert anonymous.post("/api/telephony/events", "{}", content_type="application/json").status_code in (401, 403)
    assert anonymous.get("/api/telephony/assignments").status_code in (401, 403)
    token = str(world.values["agent_token"])
    assert anonymous.get(f"/bemanding/kalender/agent/{token}.ics").status_code == 200
    wrong_token = token[:-1] + ("1" if token[-1] == "0" else "0")
    assert anonymous.get(f"/bemanding/kalender/agent/{wrong_token}.ics").status_code == 404
    assert anonymous.get("/chat/316/samtale/ikke-en-rigtig-samtale/").status_code == 404


def test_the_public_urls_are_public(world: World) -> None:
    anonymous = Client()
    assert anonymous.get("/login/").status_code == 200
    assert anonymous.get("/api/docs").status_code == 200
    assert anonymous.get("/api/openapi.json").status_code == 200
    assert anonymous.get("/chat/316/").status_code == 200
