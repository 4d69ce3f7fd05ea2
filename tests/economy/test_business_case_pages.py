"""Business-case pages: access on every page, import, export, discrepancies, portfolio rounding, scenarios."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import samvirke.economy
from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Municipality, Person
from samvirke.economy import selectors
from samvirke.economy.actions import business_cases as actions
from samvirke.economy.lib.business_case import compute_case, parse_case
from samvirke.economy.lib.business_case.excel import case_workbook, parse_amount_text
from samvirke.economy.models import BusinessCase
from tests.conftest import GREVE, HOLBAEK, client_for

CASES_DIR = Path(samvirke.economy.__file__).resolve().parent / "data" / "business_cases"
BASE = "/oekonomi/business-cases/"


def load(number: int) -> dict[str, Any]:
    return json.loads((CASES_DIR / f"case{number}.json").read_text(encoding="utf-8"))


@pytest.fixture
def holbaek_case(secretariat: Person) -> BusinessCase:
    holbaek = Municipality.objects.get(code=HOLBAEK)
    case = actions.do_create_business_case_from_dict(secretariat, holbaek, load(1), portfolio_area="Hjemmeplejen")
    actions.do_add_business_case_risk(secretariat, case, "Infrastruktur", "Test i pilot")
    actions.do_save_business_case_scenario(
        secretariat, case, "150 borgere", {"Reducerede lønomkostninger": [0, -100, -100, -100, -100]}
    )
    return case


@pytest.fixture
def greve_case(secretariat: Person) -> BusinessCase:
    greve = Municipality.objects.get(code=GREVE)
    return actions.do_create_business_case_from_dict(secretariat, greve, load(2), portfolio_area="Hjemmeplejen")


def case_pages(case: BusinessCase) -> list[str]:
    return [
        f"{BASE}{case.pk}/",
        f"{BASE}{case.pk}/rediger/",
        f"{BASE}{case.pk}/eksport.xlsx",
        f"{BASE}{case.pk}/eksport.json",
        f"{BASE}portefoelje/{HOLBAEK}/",
    ]


POSTS: dict[str, dict[str, str]] = {
    "rediger/": {"title": "Ændret"},
    "tabel/": {},
    "status/": {"status": "approved"},
    "slet/": {"confirm": "on"},
    "risici/": {"risk": "R", "mitigation": "M"},
    "kpi/": {"criterion": "C", "measurement": "M", "owner": "O", "timing": "T"},
    "tidsplan/": {"when": "2017", "what": "Udbud"},
    "scenarier/": {"name": "S", "line": "Reducerede lønomkostninger", "year_2017": "-100"},
}
GENERAL_PAGES = [BASE, f"{BASE}ny/", f"{BASE}skabelon.xlsx"]


def post_urls(case: BusinessCase) -> list[tuple[str, dict[str, str]]]:
    return [(f"{BASE}{case.pk}/{suffix}", data) for suffix, data in POSTS.items()] + [
        (f"{BASE}{case.pk}/risici/{case.risks.get().pk}/slet/", {}),
        (f"{BASE}{case.pk}/scenarier/{case.scenarios.get().pk}/slet/", {}),
    ]


def unchanged(case: BusinessCase) -> None:
    fresh = BusinessCase.objects.get(pk=case.pk)
    assert fresh.title == case.title and fresh.status == "draft"
    assert fresh.risks.count() == 1 and fresh.kpis.count() == 0 and fresh.scenarios.count() == 1


# --- access -------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login_from_every_page(holbaek_case: BusinessCase):
    client = Client()
    for url in GENERAL_PAGES + case_pages(holbaek_case):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url
    for url, data in post_urls(holbaek_case):
        assert client.post(url, data).status_code == 302, url
    unchanged(holbaek_case)


@pytest.mark.parametrize("persona", ["outsider", "holbaek_agent", "region_staff"])
def test_people_without_business_cases_are_refused_every_page(
    holbaek_case: BusinessCase, persona: str, request: pytest.FixtureRequest
):
    client = client_for(request.getfixturevalue(persona))
    for url in GENERAL_PAGES + case_pages(holbaek_case):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Ingen adgang" in response.content.decode()
    for url, data in post_urls(holbaek_case):
        assert client.post(url, data).status_code == 403, url
    unchanged(holbaek_case)


def test_greves_coordinator_is_refused_holbaeks_case_and_portfolio(
    holbaek_case: BusinessCase, greve_coordinator: Person
):
    client = client_for(greve_coordinator)
    for url in case_pages(holbaek_case):
        response = client.get(url)
        assert response.status_code == 403, url
    for url, data in post_urls(holbaek_case):
        assert client.post(url, data).status_code == 403, url
    unchanged(holbaek_case)


def test_greves_coordinator_sees_only_greves_cases(
    holbaek_case: BusinessCase, greve_case: BusinessCase, greve_coordinator: Person
):
    client = client_for(greve_coordinator)
    page = client.get(BASE).content.decode()
    assert "Elektroniske nøgler og kørebøger" in page
    assert "Online syge- og hjemmepleje" not in page
    assert client.get(f"{BASE}{greve_case.pk}/").status_code == 200
    assert client.get(f"{BASE}{greve_case.pk}/rediger/").status_code == 200
    assert client.get(f"{BASE}portefoelje/{GREVE}/").status_code == 200


def test_the_secretariat_sees_every_municipalitys_cases(
    holbaek_case: BusinessCase, greve_case: BusinessCase, secretariat: Person
):
    client = client_for(secretariat)
    response = client.get(BASE)
    page = response.content.decode()
    assert "Online syge- og hjemmepleje" in page and "Elektroniske nøgler og kørebøger" in page
    assert "Holbæk" in page and "Greve" in page
    only_greve = client.get(f"{BASE}?kommune={GREVE}").content.decode()
    assert "Online syge- og hjemmepleje" not in only_greve
    for case in (holbaek_case, greve_case):
        assert client.get(f"{BASE}{case.pk}/").status_code == 200
    assert client.get(f"{BASE}portefoelje/{HOLBAEK}/").status_code == 200


def test_the_list_shows_area_status_payback_and_total_impact(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).get(BASE)
    (row,) = response.context["rows"]
    assert row["payback"] == "6 år"
    assert row["impact_total"] == "169"  # 150 + 435 + 24 − 136 − 304
    page = response.content.decode()
    assert "Hjemmeplejen" in page and "Udkast" in page


def test_an_unknown_case_is_a_danish_404(secretariat: Person):
    response = client_for(secretariat).get(f"{BASE}9999/")
    assert response.status_code == 404
    assert "Der findes ingen business case med det nummer." in response.content.decode()


def test_an_unknown_municipality_portfolio_is_a_danish_404(secretariat: Person):
    response = client_for(secretariat).get(f"{BASE}portefoelje/999/")
    assert response.status_code == 404
    assert "Der findes ingen kommune med kommunekode 999." in response.content.decode()


def test_an_unknown_risk_is_a_danish_404(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).post(f"{BASE}{holbaek_case.pk}/risici/9999/slet/")
    assert response.status_code == 404
    assert "Der findes ingen risiko med det nummer på denne business case." in response.content.decode()


def test_writes_need_post(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).get(f"{BASE}{holbaek_case.pk}/status/")
    assert response.status_code == 405


def test_forms_are_protected_by_csrf(holbaek_case: BusinessCase, secretariat: Person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = client.post(f"{BASE}{holbaek_case.pk}/status/", {"status": "approved"})
    assert response.status_code == 403
    unchanged(holbaek_case)


# --- detail -------------------------------------------------------------------------------------------


def test_case_2s_page_shows_its_rounding_and_its_error(greve_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).get(f"{BASE}{greve_case.pk}/")
    page = response.content.decode()
    assert response.context["error_count"] == 1
    assert response.context["rounding_count"] == 8
    error = next(d for d in response.context["discrepancies"] if d["kind"] == "error")
    assert error == {
        "row": "Samlet økonomisk påvirkning",
        "year": 2016,
        "printed": "3.705",
        "computed": "3.723",
        "difference": "-18",
        "kind": "error",
        "kind_da": "fejl",
    }
    assert 'class="num diff-error"' in page
    assert "trykt 3.705" in page
    assert 'class="num diff-rounding"' in page
    assert "trykt -572" in page


def test_case_4s_page_reports_tabel_4s_wrong_row_totals_as_errors(secretariat: Person):
    holbaek = Municipality.objects.get(code=HOLBAEK)
    case = actions.do_create_business_case_from_dict(secretariat, holbaek, load(4), portfolio_area="Tværgående")
    response = client_for(secretariat).get(f"{BASE}{case.pk}/")
    assert (response.context["error_count"], response.context["rounding_count"]) == (2, 0)
    found = [(d["row"], d["year"], d["printed"], d["computed"], d["kind"]) for d in response.context["discrepancies"]]
    assert found == [
        ("I alt: Implementering og udvikling (Tabel 4)", "2016–2019 i alt", "16.200", "13.000", "error"),
        ("I alt: Investeringer totalt, anlæg (Tabel 4)", "2016–2019 i alt", "23.900", "20.700", "error"),
    ]
    page = response.content.decode()
    assert "I alt: Implementering og udvikling (Tabel 4)" in page and "16.200" in page and "20.700" in page
    # the stored case keeps the row totals as given, so its JSON export reports them again
    exported = client_for(secretariat).get(f"{BASE}{case.pk}/eksport.json").json()
    assert exported["printed"]["row_totals"] == load(4)["printed"]["row_totals"]
    list_page = client_for(secretariat).get(BASE)
    row = next(r for r in list_page.context["rows"] if r["case"].pk == case.pk)
    assert row["errors"] == 2


def test_the_detail_page_shows_tabel_1_payback_and_the_sections(holbaek_case: BusinessCase, secretariat: Person):
    actions.do_update_business_case_sections(secretariat, holbaek_case, purpose="Mere fleksibel støtte.")
    actions.do_add_business_case_kpi(secretariat, holbaek_case, "115 borgere", "Optælling", "Projektleder", "2018")
    actions.do_add_business_case_milestone(secretariat, holbaek_case, "Primo 2017", "Udbud")
    response = client_for(secretariat).get(f"{BASE}{holbaek_case.pk}/")
    page = response.content.decode()
    assert response.context["payback"] == "6 år"
    for text in (
        "Varige ændringer",
        "Implementeringsomkostninger",
        "Samlet varig ændring",
        "Samlet økonomisk påvirkning",
        "Innovationspuljen",
        "Mere fleksibel støtte.",
        "Infrastruktur",
        "Test i pilot",
        "115 borgere",
        "Projektleder",
        "Primo 2017",
        "Ingen afvigelser",
    ):
        assert text in page, text
    assert '<tr class="excluded">' in page


def test_the_scenario_sits_beside_the_base_case_with_its_payback(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).get(f"{BASE}{holbaek_case.pk}/")
    base, scenario = response.context["scenarios"]
    assert (base["name"], base["payback"]) == ("Grundscenarie", "6 år")
    assert scenario["name"] == "150 borgere"
    assert scenario["impact"] == ["150", "335", "-76", "-236", "-404"]
    assert scenario["payback"] == "5 år"
    assert scenario["difference"] == "-400"


# --- import -------------------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_secretariat_imports_a_json_case_for_holbaek(secretariat: Person):
    holbaek = Municipality.objects.get(code=HOLBAEK)
    response = client_for(secretariat).post(
        f"{BASE}ny/",
        {
            "file": upload("case3.json", (CASES_DIR / "case3.json").read_bytes()),
            "municipality": holbaek.pk,
            "portfolio_area": "Borgere med handicap",
        },
    )
    case = BusinessCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{case.pk}/"
    assert case.municipality == holbaek
    assert case.portfolio_area == "Borgere med handicap"
    assert selectors.case_result(case).payback_years == 2
    assert AuditEntry.objects.filter(action="economy.business_case_created", actor_name="sekretariat").count() == 1


def test_a_coordinator_imports_an_excel_case_for_its_own_municipality(greve_coordinator: Person):
    data = load(1)
    workbook = case_workbook(data, compute_case(parse_case(data)))
    greve = Municipality.objects.get(code=GREVE)
    client = client_for(greve_coordinator)
    page = client.get(f"{BASE}ny/").content.decode()
    assert "<strong>Kommune:</strong> Greve" in page
    response = client.post(
        f"{BASE}ny/", {"file": upload("case1.xlsx", workbook), "municipality": greve.pk, "title": "Skærmbesøg"}
    )
    assert response.status_code == 302
    case = BusinessCase.objects.get()
    assert (case.municipality, case.title) == (greve, "Skærmbesøg")
    assert selectors.case_result(case).impact == (150, 435, 24, -136, -304)


def test_a_coordinator_cannot_import_for_another_municipality(greve_coordinator: Person):
    holbaek = Municipality.objects.get(code=HOLBAEK)
    response = client_for(greve_coordinator).post(
        f"{BASE}ny/",
        {"file": upload("case3.json", (CASES_DIR / "case3.json").read_bytes()), "municipality": holbaek.pk},
    )
    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    assert BusinessCase.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("case.xlsx", b"not a workbook", "Filen er ikke en Excel-fil (.xlsx)."),
        ("case.json", b'{"title": "x",\n}', "JSON-filen kan ikke læses: fejl i linje 2, kolonne 1."),
        ("case.txt", b"hello", "Vælg en Excel-fil (.xlsx) eller en JSON-fil (.json)."),
        (
            "case.json",
            json.dumps(load(3) | {"years": [2016, 2018, 2019, 2020, 2021]}).encode(),
            "Årene skal være fortløbende, men 2018 følger efter 2016 i &#x27;years&#x27;.",
        ),
    ],
)
def test_a_bad_file_gets_a_danish_message_and_nothing_is_written(
    secretariat: Person, name: str, content: bytes, message: str
):
    holbaek = Municipality.objects.get(code=HOLBAEK)
    response = client_for(secretariat).post(f"{BASE}ny/", {"file": upload(name, content), "municipality": holbaek.pk})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BusinessCase.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_an_excel_row_with_a_bad_number_is_named_in_the_form(secretariat: Person):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (
        ["Nøgler"],
        ["Linje", "Blok", "Styringsområde", "Udelades af tilbagebetaling", 2016, 2017],
        ["Løn", "varig", "Service", "nej", -10, "ti"],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    holbaek = Municipality.objects.get(code=HOLBAEK)
    response = client_for(secretariat).post(
        f"{BASE}ny/", {"file": upload("case.xlsx", buffer.getvalue()), "municipality": holbaek.pk}
    )
    assert response.status_code == 400
    assert "Række 3 (&#x27;Løn&#x27;), 2017: &#x27;ti&#x27; er ikke et tal." in response.content.decode()
    assert BusinessCase.objects.count() == 0


def test_a_file_without_a_title_asks_for_one(secretariat: Person):
    data = {key: value for key, value in load(3).items() if key != "title"}
    holbaek = Municipality.objects.get(code=HOLBAEK)
    response = client_for(secretariat).post(
        f"{BASE}ny/", {"file": upload("case.json", json.dumps(data).encode()), "municipality": holbaek.pk}
    )
    assert response.status_code == 400
    assert "Filen har ingen titel." in response.content.decode()
    assert BusinessCase.objects.count() == 0


def test_importing_the_same_title_twice_is_refused(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).post(
        f"{BASE}ny/",
        {
            "file": upload("case1.json", (CASES_DIR / "case1.json").read_bytes()),
            "municipality": holbaek_case.municipality.pk,
        },
    )
    assert response.status_code == 400
    assert "Holbæk har allerede en business case med titlen" in response.content.decode()
    assert BusinessCase.objects.count() == 1


# --- export -------------------------------------------------------------------------------------------


def numbers(cells: list[str]) -> list[Any]:
    return [parse_amount_text(cell, "side") for cell in cells]


def test_the_excel_export_opens_and_its_totals_equal_the_pages(greve_case: BusinessCase, secretariat: Person):
    client = client_for(secretariat)
    page = client.get(f"{BASE}{greve_case.pk}/").context
    page_totals = {
        row["key"]: numbers([c["value"] for c in row["cells"]]) for row in page["table"] if row["type"] == "total"
    }
    response = client.get(f"{BASE}{greve_case.pk}/eksport.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "elektroniske-noegler" in response["Content-Disposition"] or ".xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [tuple(row) for row in workbook["Tabel 1"].iter_rows(values_only=True)]
    computed = {row[0]: list(row[4:9]) for row in rows if len(row) > 1 and row[1] == "beregnet"}
    assert computed["Samlet varig ændring"] == page_totals["varig"]
    assert computed["Samlede implementeringsomkostninger"] == page_totals["implementering"]
    assert computed["Samlet økonomisk påvirkning"] == page_totals["impact"]
    assert computed["Tilbagebetalingstid (år)"][0] == 6
    assert page["payback"] == "6 år"
    kinds = [row[5] for row in workbook["Afvigelser"].iter_rows(min_row=5, values_only=True) if row[0]]
    assert kinds.count("fejl") == 1 and kinds.count("afrunding") == 8


def test_the_json_export_has_the_lib_shape_and_imports_again(holbaek_case: BusinessCase, secretariat: Person):
    client = client_for(secretariat)
    response = client.get(f"{BASE}{holbaek_case.pk}/eksport.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert compute_case(parse_case(data)).payback_years == 6
    assert data["notes"]["risks"] == [{"risk": "Infrastruktur", "mitigation": "Test i pilot"}]
    greve = Municipality.objects.get(code=GREVE)
    response = client.post(f"{BASE}ny/", {"file": upload("export.json", response.content), "municipality": greve.pk})
    assert response.status_code == 302
    copy = BusinessCase.objects.get(municipality=greve)
    assert copy.risks.count() == 1 and copy.scenarios.count() == 1
    assert copy.portfolio_area == "Hjemmeplejen"


def test_the_excel_template_downloads(secretariat: Person):
    response = client_for(secretariat).get(f"{BASE}skabelon.xlsx")
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["Tabel 1"]


# --- portfolio ----------------------------------------------------------------------------------------


def test_the_portfolio_rounds_to_100_half_away_from_zero_with_the_exact_sums_beside(secretariat: Person):
    holbaek = Municipality.objects.get(code=HOLBAEK)
    actions.do_create_business_case_from_dict(
        secretariat,
        holbaek,
        {
            "title": "Halve hundreder",
            "years": [2016, 2017, 2018, 2019],
            "lines": [
                {"label": "Løn", "block": "varig", "area": "Service", "values": [50, -150, 250, -249]},
                {"label": "Anlæg", "block": "implementering", "area": "Anlæg", "values": [1050, -50, 0, 149]},
            ],
        },
        portfolio_area="Tværgående",
    )
    response = client_for(secretariat).get(f"{BASE}portefoelje/{HOLBAEK}/")
    context = response.context
    assert context["years"] == [2016, 2017, 2018, 2019]
    (area,) = context["areas"]
    assert area["name"] == "Tværgående"
    assert [c["rounded"] for c in area["net"]] == ["100", "-200", "300", "-200"]
    assert [c["exact"] for c in area["net"]] == ["50", "-150", "250", "-249"]
    assert [c["rounded"] for c in context["investment_total"]] == ["1.100", "-100", "0", "100"]
    assert [c["exact"] for c in context["investment_total"]] == ["1.050", "-50", "", "149"]


def test_the_demo_portfolio_has_the_seeds_areas_and_i_alt(secretariat: Person):
    from samvirke.economy.demo_business_cases import load_demo_business_cases

    holbaek = Municipality.objects.get(code=HOLBAEK)
    load_demo_business_cases(secretariat, holbaek)
    response = client_for(secretariat).get(f"{BASE}portefoelje/{HOLBAEK}/")
    context = response.context
    assert context["years"] == [2016, 2017, 2018, 2019, 2020]
    assert [area["name"] for area in context["areas"]] == ["Hjemmeplejen", "Borgere med handicap", "Tværgående"]
    hjemmeplejen = context["areas"][0]
    # case 1 −51 and case 2 −1,576 in 2018: −1,627, shown as −1,600
    assert (hjemmeplejen["net"][2]["rounded"], hjemmeplejen["net"][2]["exact"]) == ("-1.600", "-1.627")
    # a four-year case carries 2019 into 2020: I alt 2020 = −304 − 1,576 − 2,939 − 5,000 − 1,850 = −11,669
    assert (context["net_total"][4]["rounded"], context["net_total"][4]["exact"]) == ("-11.700", "-11.669")
    assert [c["rounded"] for c in context["investment_total"]] == ["26.900", "11.600", "1.100", "0", "0"]
    page = response.content.decode()
    assert "Nettoeffektivisering, Hjemmeplejen" in page and "Investeringsbehov, Tværgående" in page


# --- editing ------------------------------------------------------------------------------------------


EditCall = Callable[..., Any]


def test_editing_the_sections_saves_them_with_an_audit_entry(holbaek_case: BusinessCase, secretariat: Person):
    client = client_for(secretariat)
    form = client.get(f"{BASE}{holbaek_case.pk}/rediger/").context["sections_form"]
    data = {name: value or "" for name, value in form.initial.items()}
    data |= {"purpose": "Ny baggrund", "effects_citizens": "Mere tryghed"}
    response = client.post(f"{BASE}{holbaek_case.pk}/rediger/", data)
    assert response.status_code == 302
    holbaek_case.refresh_from_db()
    assert (holbaek_case.purpose, holbaek_case.effects_citizens) == ("Ny baggrund", "Mere tryghed")
    entry = AuditEntry.objects.get(action="economy.business_case_sections_updated")
    assert entry.details == {"fields": ["purpose", "effects_citizens"]}


def test_an_empty_title_gets_a_danish_message(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).post(f"{BASE}{holbaek_case.pk}/rediger/", {"title": ""})
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()


def test_risk_kpi_and_milestone_are_added_from_the_edit_page(holbaek_case: BusinessCase, secretariat: Person):
    client = client_for(secretariat)
    for suffix, data in (
        ("risici/", POSTS["risici/"]),
        ("kpi/", POSTS["kpi/"]),
        ("tidsplan/", POSTS["tidsplan/"]),
    ):
        response = client.post(f"{BASE}{holbaek_case.pk}/{suffix}", data)
        assert response.status_code == 302, suffix
    assert (holbaek_case.risks.count(), holbaek_case.kpis.count(), holbaek_case.milestones.count()) == (2, 1, 1)
    assert {"economy.business_case_risk_added", "economy.business_case_kpi_added"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_a_risk_without_mitigation_is_refused_in_danish(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).post(f"{BASE}{holbaek_case.pk}/risici/", {"risk": "R"})
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()
    assert holbaek_case.risks.count() == 1


def test_a_scenario_is_added_and_its_payback_shown(holbaek_case: BusinessCase, secretariat: Person):
    client = client_for(secretariat)
    response = client.post(
        f"{BASE}{holbaek_case.pk}/scenarier/",
        {
            "name": "75 borgere",
            "line": "Reducerede lønomkostninger",
            "year_2017": "100",
            "year_2018": "100",
            "year_2019": "100",
            "year_2020": "100",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#scenarier")
    scenarios = client.get(f"{BASE}{holbaek_case.pk}/").context["scenarios"]
    assert {s["name"]: s["payback"] for s in scenarios} == {
        "Grundscenarie": "6 år",
        "150 borgere": "5 år",
        "75 borgere": "8 år",
    }


def test_a_second_line_is_added_to_a_scenario_of_the_same_name(holbaek_case: BusinessCase, secretariat: Person):
    client_for(secretariat).post(
        f"{BASE}{holbaek_case.pk}/scenarier/",
        {"name": "150 borgere", "line": "Nye omkostninger vedr. teknologi", "year_2018": "1.000,5"},
    )
    scenario = holbaek_case.scenarios.get()
    assert scenario.adjustments == {
        "Reducerede lønomkostninger": [0, -100, -100, -100, -100],
        "Nye omkostninger vedr. teknologi": [0, 0, 1000.5, 0, 0],
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "S", "line": "Reducerede lønomkostninger", "year_2017": "ti"},
            "Beløbet, 2017: &#x27;ti&#x27; er ikke et tal.",
        ),
        ({"name": "S", "line": "Reducerede lønomkostninger"}, "Skriv mindst ét beløb"),
        ({"name": "S", "line": "Husleje", "year_2017": "1"}, "Marker en gyldig valgmulighed."),
    ],
)
def test_a_bad_scenario_gets_a_danish_message(
    holbaek_case: BusinessCase, secretariat: Person, data: dict[str, str], message: str
):
    response = client_for(secretariat).post(f"{BASE}{holbaek_case.pk}/scenarier/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert holbaek_case.scenarios.count() == 1


def test_tabel_1_is_replaced_from_an_excel_file(holbaek_case: BusinessCase, secretariat: Person):
    actions.do_delete_business_case_scenario(secretariat, holbaek_case.scenarios.get())
    data = load(3)
    workbook = case_workbook(data, compute_case(parse_case(data)))
    response = client_for(secretariat).post(f"{BASE}{holbaek_case.pk}/tabel/", {"file": upload("t.xlsx", workbook)})
    assert response.status_code == 302
    assert selectors.case_result(holbaek_case).payback_years == 2
    holbaek_case.refresh_from_db()
    assert holbaek_case.title == "Online syge- og hjemmepleje med skærmbesøg"


def test_a_bad_tabel_1_file_changes_nothing(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).post(f"{BASE}{holbaek_case.pk}/tabel/", {"file": upload("t.xlsx", b"junk")})
    assert response.status_code == 400
    assert "Filen er ikke en Excel-fil" in response.content.decode()
    assert holbaek_case.lines.count() == 7


def test_the_status_is_set(holbaek_case: BusinessCase, secretariat: Person):
    response = client_for(secretariat).post(f"{BASE}{holbaek_case.pk}/status/", {"status": "approved"})
    assert response.status_code == 302
    holbaek_case.refresh_from_db()
    assert holbaek_case.status == "approved"


def test_deleting_needs_the_confirmation(holbaek_case: BusinessCase, secretariat: Person):
    client = client_for(secretariat)
    assert client.post(f"{BASE}{holbaek_case.pk}/slet/", {}).status_code == 400
    assert BusinessCase.objects.count() == 1
    response = client.post(f"{BASE}{holbaek_case.pk}/slet/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == BASE
    assert BusinessCase.objects.count() == 0


# --- reconciling an overview on the portfolio page ----------------------------------------------------


def overview_upload(content: bytes | None = None) -> SimpleUploadedFile:
    data = (CASES_DIR / "overview.json").read_bytes() if content is None else content
    return SimpleUploadedFile("overview.json", data, content_type="application/json")


def test_the_portfolio_reconciles_the_seeds_overview_with_the_demo_cases(secretariat: Person):
    from samvirke.economy.demo_business_cases import load_demo_business_cases

    load_demo_business_cases(secretariat, Municipality.objects.get(code=HOLBAEK))
    before = AuditEntry.objects.count()
    response = client_for(secretariat).post(f"{BASE}portefoelje/{HOLBAEK}/", {"oversigt": overview_upload()})
    assert response.status_code == 200
    found = {
        (d["proposal"].split()[0], d["row"], d["year"]): (d["overview"], d["case_value"], d["case_rounded"])
        for d in response.context["reconciliation"]["proposal_differences"]
    }
    assert len(found) == 15
    assert found[("CSC", "Netto", 2018)] == ("-5.100", "-5.000", "-5.000")
    assert found[("Online", "Investering", 2017)] == ("600", "449", "400")
    page = response.content.decode()
    assert "Forskelle mellem oversigten og casene (15)" in page
    assert "Online støtte- og hjemmepleje via skærmbesøg = Online syge- og hjemmepleje med skærmbesøg" in page
    assert AuditEntry.objects.count() == before  # a reconciliation writes nothing


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{nope", "JSON-filen kan ikke læses: fejl i linje 1"),
        (b'{"years": [2016], "areas": []}', "Oversigten skal have mindst ét område i &#x27;areas&#x27;."),
        (None, "har ingen business case med titlen"),  # Greve's portfolio has none of the overview's cases
    ],
)
def test_a_bad_overview_gets_a_danish_message(greve_coordinator: Person, content: bytes | None, message: str):
    response = client_for(greve_coordinator).post(f"{BASE}portefoelje/{GREVE}/", {"oversigt": overview_upload(content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["reconciliation"] is None


def test_a_portfolio_without_a_file_asks_for_one(secretariat: Person):
    response = client_for(secretariat).post(f"{BASE}portefoelje/{HOLBAEK}/", {})
    assert "Vælg en JSON-fil med porteføljeoversigten." in response.content.decode()


def test_another_municipalitys_coordinator_cannot_reconcile_holbaeks_portfolio(greve_coordinator: Person):
    response = client_for(greve_coordinator).post(f"{BASE}portefoelje/{HOLBAEK}/", {"oversigt": overview_upload()})
    assert response.status_code == 403
