"""Writes to business cases (samvirke.economy.actions.business_cases) and the demo loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import samvirke.economy
from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Municipality, Person
from samvirke.economy import selectors
from samvirke.economy.actions import business_cases as actions
from samvirke.economy.demo_business_cases import load_demo_business_cases
from samvirke.economy.lib.business_case import BusinessCaseInputError, scenario_result
from samvirke.economy.models import BusinessCase, BusinessCaseLine, BusinessCaseScenario, BusinessCaseStatus
from tests.conftest import GREVE, HOLBAEK

CASES_DIR = Path(samvirke.economy.__file__).resolve().parent / "data" / "business_cases"


def load(number: int) -> dict[str, Any]:
    return json.loads((CASES_DIR / f"case{number}.json").read_text(encoding="utf-8"))


@pytest.fixture
def holbaek(fellesskab: object) -> Municipality:
    return Municipality.objects.get(code=HOLBAEK)


@pytest.fixture
def greve(fellesskab: object) -> Municipality:
    return Municipality.objects.get(code=GREVE)


@pytest.fixture
def case1(secretariat: Person, holbaek: Municipality) -> BusinessCase:
    return actions.do_create_business_case_from_dict(secretariat, holbaek, load(1), portfolio_area="Hjemmeplejen")


def actions_logged() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# --- create -----------------------------------------------------------------------------------------


def test_a_case_is_created_with_its_lines_in_order_and_its_printed_totals(case1: BusinessCase, secretariat: Person):
    assert case1.title == "Online syge- og hjemmepleje med skærmbesøg"
    assert case1.years == [2016, 2017, 2018, 2019, 2020]
    assert case1.portfolio_area == "Hjemmeplejen"
    assert case1.created_by == secretariat
    lines = list(case1.lines.all())
    assert [line.position for line in lines] == [1, 2, 3, 4, 5, 6, 7]
    assert lines[0].values == [-224, -555, -740, -851, -1022]
    assert lines[6].values == [300, None, None, None, None]
    assert lines[6].excluded_from_payback is True
    assert case1.printed["impact"] == [150, 435, 24, -136, -304]


def test_creating_a_case_writes_an_audit_entry(case1: BusinessCase):
    entry = AuditEntry.objects.get(action="economy.business_case_created")
    assert entry.actor_name == "sekretariat"
    assert entry.object_id == str(case1.pk)
    assert entry.details["lines"] == 7
    assert entry.details["municipality"] == HOLBAEK


def test_case_to_dict_gives_back_the_lib_input(case1: BusinessCase):
    original = load(1)
    del original["source"]
    assert selectors.case_to_dict(case1) == original


def test_a_stored_case_computes_like_the_seed(case1: BusinessCase):
    result = selectors.case_result(case1)
    assert result.impact == (150, 435, 24, -136, -304)
    assert result.payback_years == 6


def test_a_bad_case_writes_nothing(secretariat: Person, holbaek: Municipality):
    data = load(1)
    data["lines"][2]["values"][1] = "mange"
    with pytest.raises(BusinessCaseInputError, match="Linjen 'Nye lønomkostninger, support, uddannelse mm.', 2017"):
        actions.do_create_business_case_from_dict(secretariat, holbaek, data)
    assert BusinessCase.objects.count() == 0
    assert BusinessCaseLine.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_bad_risk_in_the_notes_writes_nothing(secretariat: Person, holbaek: Municipality):
    data = load(1) | {"notes": {"risks": [{"risk": "Ingen plan"}]}}
    with pytest.raises(BusinessCaseInputError, match="Risiko nr. 1: Håndteres ved skal udfyldes."):
        actions.do_create_business_case_from_dict(secretariat, holbaek, data)
    assert BusinessCase.objects.count() == 0


def test_the_same_title_twice_in_a_municipality_is_refused(case1: BusinessCase, secretariat: Person):
    with pytest.raises(BusinessCaseInputError, match="Holbæk har allerede en business case med titlen"):
        actions.do_create_business_case_from_dict(secretariat, case1.municipality, load(1))
    assert BusinessCase.objects.count() == 1


def test_the_same_title_in_another_municipality_is_fine(case1: BusinessCase, secretariat: Person, greve: Municipality):
    actions.do_create_business_case_from_dict(secretariat, greve, load(1))
    assert BusinessCase.objects.count() == 2


def test_a_title_longer_than_the_field_is_refused(secretariat: Person, holbaek: Municipality):
    with pytest.raises(BusinessCaseInputError, match="Titel må højst være 300 tegn"):
        actions.do_create_business_case_from_dict(secretariat, holbaek, load(3) | {"title": "x" * 301})


def test_an_export_imports_again_with_its_description_and_scenarios(
    case1: BusinessCase, secretariat: Person, greve: Municipality
):
    actions.do_add_business_case_risk(secretariat, case1, "NemID ved hvert log-in", "Dialog med leverandøren")
    actions.do_add_business_case_kpi(secretariat, case1, "115 borgere", "Optælling", "Projektleder", "2018")
    actions.do_add_business_case_milestone(secretariat, case1, "Primo 2017", "Udbud")
    actions.do_save_business_case_scenario(
        secretariat, case1, "150 borgere", {"Reducerede lønomkostninger": [0, -100, -100, -100, -100]}
    )
    exported = json.loads(json.dumps(selectors.case_export_dict(case1)))
    copy = actions.do_create_business_case_from_dict(secretariat, greve, exported)
    assert selectors.case_to_dict(copy) == selectors.case_to_dict(case1)
    assert selectors.case_description(copy) == selectors.case_description(case1)


def test_keyword_arguments_override_the_notes(secretariat: Person, holbaek: Municipality):
    data = load(3) | {"notes": {"purpose": "Fra filen", "portfolio_area": "Fra filen"}}
    case = actions.do_create_business_case_from_dict(secretariat, holbaek, data, portfolio_area="Borgere med handicap")
    assert (case.purpose, case.portfolio_area) == ("Fra filen", "Borgere med handicap")


def test_a_plain_text_note_is_ignored(secretariat: Person, holbaek: Municipality):
    case = actions.do_create_business_case_from_dict(secretariat, holbaek, load(3) | {"notes": "typed from the PDF"})
    assert case.purpose == ""


# --- sections, lines, status ------------------------------------------------------------------------


def test_updating_sections_records_the_changed_fields(case1: BusinessCase, secretariat: Person):
    actions.do_update_business_case_sections(secretariat, case1, purpose="Bedre støtte", portfolio_area="Hjemmeplejen")
    case1.refresh_from_db()
    assert case1.purpose == "Bedre støtte"
    entry = AuditEntry.objects.get(action="economy.business_case_sections_updated")
    assert entry.details == {"fields": ["purpose"]}


def test_an_update_that_changes_nothing_writes_no_entry(case1: BusinessCase, secretariat: Person):
    actions.do_update_business_case_sections(secretariat, case1, title=case1.title)
    assert "economy.business_case_sections_updated" not in actions_logged()


def test_a_title_taken_by_another_case_is_refused(case1: BusinessCase, secretariat: Person):
    other = actions.do_create_business_case_from_dict(secretariat, case1.municipality, load(3))
    with pytest.raises(BusinessCaseInputError, match="allerede en business case med titlen"):
        actions.do_update_business_case_sections(secretariat, other, title=case1.title)


def test_an_empty_title_is_refused(case1: BusinessCase, secretariat: Person):
    with pytest.raises(BusinessCaseInputError, match="Titel skal udfyldes."):
        actions.do_update_business_case_sections(secretariat, case1, title="  ")


def test_replacing_the_lines_keeps_the_title_and_records_before_and_after(case1: BusinessCase, secretariat: Person):
    actions.do_replace_business_case_lines(secretariat, case1, load(4))
    case1.refresh_from_db()
    assert case1.title == "Online syge- og hjemmepleje med skærmbesøg"
    assert case1.years == [2016, 2017, 2018, 2019]
    assert case1.lines.count() == 7
    assert selectors.case_result(case1).impact == (17700, 300, -5000, -5000)
    entry = AuditEntry.objects.get(action="economy.business_case_lines_replaced")
    assert entry.details["before"] == {"years": [2016, 2017, 2018, 2019, 2020], "lines": 7}


def test_replacing_the_lines_is_refused_when_a_scenario_would_no_longer_fit(case1: BusinessCase, secretariat: Person):
    actions.do_save_business_case_scenario(
        secretariat, case1, "150 borgere", {"Reducerede lønomkostninger": [0, -100, -100, -100, -100]}
    )
    with pytest.raises(BusinessCaseInputError, match="Scenariet '150 borgere' passer ikke til de nye linjer"):
        actions.do_replace_business_case_lines(secretariat, case1, load(3))
    assert case1.lines.count() == 7


def test_the_status_changes_and_is_recorded(case1: BusinessCase, secretariat: Person):
    actions.do_set_business_case_status(secretariat, case1, BusinessCaseStatus.APPROVED)
    case1.refresh_from_db()
    assert case1.status == "approved"
    entry = AuditEntry.objects.get(action="economy.business_case_status_changed")
    assert entry.details == {"from": "draft", "to": "approved"}


def test_an_unknown_status_is_refused(case1: BusinessCase, secretariat: Person):
    with pytest.raises(BusinessCaseInputError, match="Ukendt status"):
        actions.do_set_business_case_status(secretariat, case1, "maybe")


def test_deleting_a_case_keeps_its_title_in_the_audit_log(case1: BusinessCase, secretariat: Person):
    actions.do_delete_business_case(secretariat, case1)
    assert BusinessCase.objects.count() == 0
    entry = AuditEntry.objects.get(action="economy.business_case_deleted")
    assert entry.details["title"] == "Online syge- og hjemmepleje med skærmbesøg"


# --- risks, KPIs, milestones ------------------------------------------------------------------------


def test_risks_kpis_and_milestones_are_added_and_deleted_with_audit_entries(case1: BusinessCase, secretariat: Person):
    risk = actions.do_add_business_case_risk(secretariat, case1, "Infrastruktur", "Test i pilot")
    kpi = actions.do_add_business_case_kpi(secretariat, case1, "115 borgere", "Optælling", "Projektleder", "2018")
    milestone = actions.do_add_business_case_milestone(secretariat, case1, "Primo 2017", "Udbud")
    assert (case1.risks.count(), case1.kpis.count(), case1.milestones.count()) == (1, 1, 1)
    actions.do_delete_business_case_risk(secretariat, risk)
    actions.do_delete_business_case_kpi(secretariat, kpi)
    actions.do_delete_business_case_milestone(secretariat, milestone)
    assert (case1.risks.count(), case1.kpis.count(), case1.milestones.count()) == (0, 0, 0)
    assert actions_logged()[1:] == [
        "economy.business_case_risk_added",
        "economy.business_case_kpi_added",
        "economy.business_case_milestone_added",
        "economy.business_case_risk_deleted",
        "economy.business_case_kpi_deleted",
        "economy.business_case_milestone_deleted",
    ]


def test_an_empty_mitigation_is_refused(case1: BusinessCase, secretariat: Person):
    with pytest.raises(BusinessCaseInputError, match="Håndteres ved skal udfyldes."):
        actions.do_add_business_case_risk(secretariat, case1, "Infrastruktur", " ")
    assert case1.risks.count() == 0


def test_a_kpi_owner_longer_than_the_field_is_refused(case1: BusinessCase, secretariat: Person):
    with pytest.raises(BusinessCaseInputError, match="Ansvarlig må højst være 200 tegn"):
        actions.do_add_business_case_kpi(secretariat, case1, "Mål", "Optælling", "x" * 201, "2018")


# --- scenarios --------------------------------------------------------------------------------------


def test_150_instead_of_115_citizens_pays_back_in_5_years_instead_of_6(case1: BusinessCase, secretariat: Person):
    scenario = actions.do_save_business_case_scenario(
        secretariat, case1, "150 borgere", {"Reducerede lønomkostninger": [0, -100, -100, -100, -100]}
    )
    result = scenario_result(selectors.case_to_dict(case1), scenario.adjustments)
    # 150, 335, −76, −236, −404: cumulative 150, 485, 409, 173, −231
    assert result.impact == (150, 335, -76, -236, -404)
    assert result.payback_years == 5
    entry = AuditEntry.objects.get(action="economy.business_case_scenario_saved")
    assert entry.details["scenario"] == "150 borgere"
    assert entry.details["created"] is True


def test_75_citizens_pays_back_in_8_years(case1: BusinessCase):
    result = scenario_result(selectors.case_to_dict(case1), {"Reducerede lønomkostninger": [0, 100, 100, 100, 100]})
    assert result.payback_years == 8


def test_saving_a_scenario_with_the_same_name_replaces_it(case1: BusinessCase, secretariat: Person):
    actions.do_save_business_case_scenario(secretariat, case1, "S", {"Reducerede lønomkostninger": [0, 0, 0, 0, -1]})
    actions.do_save_business_case_scenario(
        secretariat, case1, "S", {"Provenu fra B2014 på online støtte": ["-1,5", 0, 0, 0, 0]}, "Ny"
    )
    scenario = BusinessCaseScenario.objects.get()
    assert scenario.adjustments == {"Provenu fra B2014 på online støtte": [-1.5, 0, 0, 0, 0]}
    assert scenario.description == "Ny"


def test_a_scenario_on_a_line_the_case_does_not_have_is_refused(case1: BusinessCase, secretariat: Person):
    with pytest.raises(BusinessCaseInputError, match="justerer linjen 'Husleje', som ikke findes"):
        actions.do_save_business_case_scenario(secretariat, case1, "S", {"Husleje": [0, 0, 0, 0, 1]})
    assert BusinessCaseScenario.objects.count() == 0


def test_a_scenario_with_the_wrong_number_of_years_is_refused(case1: BusinessCase, secretariat: Person):
    with pytest.raises(BusinessCaseInputError, match="skal have ét beløb pr. år \\(5 år: 2016–2020\\)"):
        actions.do_save_business_case_scenario(secretariat, case1, "S", {"Reducerede lønomkostninger": [1, 2]})


def test_a_scenario_without_adjustments_is_refused(case1: BusinessCase, secretariat: Person):
    with pytest.raises(BusinessCaseInputError, match="mindst én linje"):
        actions.do_save_business_case_scenario(secretariat, case1, "S", {})


def test_deleting_a_scenario_is_recorded(case1: BusinessCase, secretariat: Person):
    scenario = actions.do_save_business_case_scenario(
        secretariat, case1, "S", {"Reducerede lønomkostninger": [0, 0, 0, 0, -1]}
    )
    actions.do_delete_business_case_scenario(secretariat, scenario)
    assert BusinessCaseScenario.objects.count() == 0
    assert actions_logged()[-1] == "economy.business_case_scenario_deleted"


# --- demo ---------------------------------------------------------------------------------------------


def test_the_demo_loads_the_five_seed_cases_once(holbaek: Municipality):
    assert load_demo_business_cases(None, holbaek) == 5
    assert load_demo_business_cases(None, holbaek) == 0
    cases = {case.title: case for case in BusinessCase.objects.filter(municipality=holbaek)}
    assert len(cases) == 5
    areas = {title: case.portfolio_area for title, case in cases.items()}
    assert areas["Velfærdsteknologier til handicapområdet"] == "Borgere med handicap"
    assert areas["CSC Social Mobility"] == "Tværgående"
    assert areas["Elektroniske nøgler og kørebøger i Den Sociale Hjemmepleje"] == "Hjemmeplejen"
    assert AuditEntry.objects.filter(action="economy.business_case_created", actor_name="system").count() == 5


def test_the_demo_cases_have_sections_risks_kpis_timeline_and_case_1_its_scenarios(holbaek: Municipality):
    load_demo_business_cases(None, holbaek)
    for case in BusinessCase.objects.filter(municipality=holbaek):
        assert case.purpose and case.summary and case.price_level == "2016 p/l"
        assert case.risks.count() >= 2
        assert case.kpis.count() >= 2
        assert case.milestones.count() >= 3
    case1 = BusinessCase.objects.get(municipality=holbaek, title__startswith="Online syge")
    paybacks = {
        scenario.name: scenario_result(selectors.case_to_dict(case1), scenario.adjustments).payback_years
        for scenario in case1.scenarios.all()
    }
    assert paybacks == {"150 borgere i stedet for 115": 5, "75 borgere (log-in med NemID)": 8}


def test_the_demo_keeps_case_2s_printed_errors(holbaek: Municipality):
    load_demo_business_cases(None, holbaek)
    case2 = BusinessCase.objects.get(municipality=holbaek, title__startswith="Elektroniske nøgler")
    kinds = [item.kind for item in selectors.case_result(case2).discrepancies]
    assert kinds.count("error") == 1
    assert kinds.count("rounding") == 8
