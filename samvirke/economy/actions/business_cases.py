"""Every write to business cases (seed 004). Each action runs in one transaction and writes its audit entry.

Input is checked before anything is written: a case's Tabel 1 by the lib's parse_case, texts against the
model's field lengths, a scenario's adjustments against the case's lines and years. Errors are
BusinessCaseInputError with a Danish message; nothing is written then.

Reading a stored case back as the lib's data (`case_to_dict`, `parsed_case`, `case_result`, the export) is in
economy/selectors.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from samvirke.audit.actions import record
from samvirke.directory.access import acting_person
from samvirke.directory.models import Actor, Municipality
from samvirke.economy.lib.business_case import (
    ROW_TOTALS,
    BusinessCaseInputError,
    Number,
    json_number,
    parse_case,
    row_total_to_json,
)
from samvirke.economy.lib.business_case.excel import (
    DESCRIPTION_FIELDS,
    KPI_COLUMNS,
    MILESTONE_COLUMNS,
    RISK_COLUMNS,
    parse_amount_text,
)
from samvirke.economy.models import (
    BusinessCase,
    BusinessCaseKpi,
    BusinessCaseLine,
    BusinessCaseMilestone,
    BusinessCaseRisk,
    BusinessCaseScenario,
    BusinessCaseStatus,
)
from samvirke.economy.selectors import case_to_dict

# The case's text fields a user fills in (title apart), in the order of the seed's template.
QUALITATIVE_FIELDS: tuple[str, ...] = tuple(key for key, _label in DESCRIPTION_FIELDS)
FIELD_LABELS: dict[str, str] = {"title": "Titel", **dict(DESCRIPTION_FIELDS)}


# --- checking input -----------------------------------------------------------------------------------


def _json_amount(value: Number | None) -> int | float | None:
    # JSONField holds ints and floats (whole amounts stay ints); an empty cell stays null.
    return None if value is None else json_number(value)


def _max_length(field_name: str, model: type[Any] = BusinessCase) -> int | None:
    limit: int | None = getattr(model._meta.get_field(field_name), "max_length", None)
    return limit


def _check_text(value: Any, field_name: str, label: str, *, model: type[Any] = BusinessCase, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BusinessCaseInputError(f"{label} skal være en tekst.")
    value = value.strip()
    if required and not value:
        raise BusinessCaseInputError(f"{label} skal udfyldes.")
    limit = _max_length(field_name, model)
    if limit is not None and len(value) > limit:
        raise BusinessCaseInputError(f"{label} må højst være {limit} tegn (er {len(value)}).")
    return value


def _check_texts(fields: Mapping[str, Any]) -> dict[str, str]:
    unknown = sorted(set(fields) - set(QUALITATIVE_FIELDS) - {"title"})
    if unknown:
        raise TypeError(f"Unknown business-case fields: {', '.join(unknown)}")
    return {key: _check_text(value, key, FIELD_LABELS[key], required=key == "title") for key, value in fields.items()}


def _check_items(items: Any, what: str, model: type[Any], fields: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise BusinessCaseInputError(f"{what} skal være en liste.")
    checked = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            raise BusinessCaseInputError(f"{what} nr. {number} skal være et objekt.")
        checked.append(
            {
                name: _check_text(item.get(name), name, f"{what} nr. {number}: {label}", model=model, required=True)
                for name, label in fields
            }
        )
    return checked


def check_adjustments(case_dict: Mapping[str, Any], adjustments: Any) -> dict[str, list[int | float]]:
    """A scenario's adjustments {line label: [amount added per year]} checked against the case (1,000 kr.)."""
    if not isinstance(adjustments, Mapping) or not adjustments:
        raise BusinessCaseInputError("Et scenarie skal justere mindst én linje.")
    labels = {line["label"] for line in case_dict["lines"]}
    years = list(case_dict["years"])
    checked: dict[str, list[int | float]] = {}
    for label, amounts in adjustments.items():
        if label not in labels:
            raise BusinessCaseInputError(f"Scenariet justerer linjen '{label}', som ikke findes i casens Tabel 1.")
        if not isinstance(amounts, list) or len(amounts) != len(years):
            raise BusinessCaseInputError(
                f"Justeringen af '{label}' skal have ét beløb pr. år ({len(years)} år: {years[0]}–{years[-1]})."
            )
        values: list[int | float] = []
        for year, amount in zip(years, amounts, strict=True):
            where = f"Justeringen af '{label}', {year}"
            if isinstance(amount, bool) or not isinstance(amount, int | float | str | type(None)):
                raise BusinessCaseInputError(f"{where}: beløbet skal være et tal.")
            if isinstance(amount, str):
                values.append(parse_amount_text(amount, where) or 0)
            elif isinstance(amount, float):
                values.append(parse_amount_text(repr(amount), where) or 0)
            else:
                values.append(amount or 0)
        checked[label] = values
    return checked


@dataclass
class _Description:
    texts: dict[str, str] = field(default_factory=dict)
    risks: list[dict[str, str]] = field(default_factory=list)
    kpis: list[dict[str, str]] = field(default_factory=list)
    milestones: list[dict[str, str]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)


def _description_from_notes(notes: Any) -> _Description:
    # A Samvirke export's "notes" is a dict; any other "notes" (a plain remark) is not ours to read.
    if not isinstance(notes, Mapping):
        return _Description()
    texts = _check_texts({key: notes[key] for key in QUALITATIVE_FIELDS if key in notes})
    scenarios = notes.get("scenarios") or []
    if not isinstance(scenarios, list) or not all(isinstance(item, Mapping) for item in scenarios):
        raise BusinessCaseInputError("'notes.scenarios' skal være en liste af scenarier med name og adjustments.")
    return _Description(
        texts=texts,
        risks=_check_items(notes.get("risks"), "Risiko", BusinessCaseRisk, RISK_COLUMNS),
        kpis=_check_items(notes.get("kpis"), "Succeskriterie", BusinessCaseKpi, KPI_COLUMNS),
        milestones=_check_items(notes.get("milestones"), "Milepæl", BusinessCaseMilestone, MILESTONE_COLUMNS),
        scenarios=list(scenarios),
    )


def _check_scenario(case_dict: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    name = _check_text(raw.get("name"), "name", "Scenariets navn", model=BusinessCaseScenario, required=True)
    description = _check_text(
        raw.get("description"), "description", "Scenariets beskrivelse", model=BusinessCaseScenario, required=False
    )
    return {
        "name": name,
        "description": description,
        "adjustments": check_adjustments(case_dict, raw.get("adjustments")),
    }


def _check_title_free(municipality: Municipality, title: str, exclude_pk: int | None = None) -> None:
    clash = BusinessCase.objects.filter(municipality=municipality, title=title)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise BusinessCaseInputError(f"{municipality.name} har allerede en business case med titlen '{title}'.")


def _lines_and_printed(data: Mapping[str, Any]) -> tuple[list[int], list[dict[str, Any]], dict[str, Any]]:
    """parse_case's checked data as JSON-ready years, lines and printed rows."""
    parsed = parse_case(data)
    for line in parsed.lines:
        _check_text(line.label, "label", f"Linjen '{line.label[:40]}…'", model=BusinessCaseLine, required=True)
    lines = [
        {
            "label": line.label,
            "block": line.block,
            "area": line.area,
            "values": [_json_amount(value) for value in line.values],
            "excluded_from_payback": line.excluded_from_payback,
        }
        for line in parsed.lines
    ]
    printed: dict[str, Any] = {row: [_json_amount(value) for value in values] for row, values in parsed.printed.items()}
    if parsed.row_totals:
        printed[ROW_TOTALS] = [row_total_to_json(total) for total in parsed.row_totals]
    return list(parsed.years), lines, printed


# --- writes -------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_business_case_from_dict(
    actor: Actor | None,
    municipality: Municipality,
    data: Mapping[str, Any],
    *,
    status: str = BusinessCaseStatus.DRAFT,
    risks: Iterable[Mapping[str, str]] | None = None,
    kpis: Iterable[Mapping[str, str]] | None = None,
    milestones: Iterable[Mapping[str, str]] | None = None,
    scenarios: Iterable[Mapping[str, Any]] | None = None,
    **qualitative: str,
) -> BusinessCase:
    """Create a case from FILE.json data (docs/business-case-format.md). The description comes from data["notes"]
    (a Samvirke export), overridden by the keyword arguments (model text fields, risks, KPIs, milestones, scenarios).

    Everything is checked before the first write; raises BusinessCaseInputError (Danish) and writes nothing.
    """
    title_override = qualitative.pop("title", None)
    if title_override:
        data = {**data, "title": title_override}
    years, lines, printed = _lines_and_printed(data)
    title = _check_text(str(data["title"]).strip(), "title", "Titel", required=True)
    description = _description_from_notes(data.get("notes"))
    texts = {**description.texts, **_check_texts(qualitative)}
    risk_items = _check_items(
        list(risks) if risks is not None else description.risks, "Risiko", BusinessCaseRisk, RISK_COLUMNS
    )
    kpi_items = _check_items(
        list(kpis) if kpis is not None else description.kpis, "Succeskriterie", BusinessCaseKpi, KPI_COLUMNS
    )
    milestone_items = _check_items(
        list(milestones) if milestones is not None else description.milestones,
        "Milepæl",
        BusinessCaseMilestone,
        MILESTONE_COLUMNS,
    )
    case_dict = {"title": title, "years": years, "lines": lines}
    scenario_items = [
        _check_scenario(case_dict, raw) for raw in (list(scenarios) if scenarios is not None else description.scenarios)
    ]
    names = [item["name"] for item in scenario_items]
    if len(set(names)) != len(names):
        raise BusinessCaseInputError("To scenarier har samme navn.")
    if status not in BusinessCaseStatus.values:
        raise BusinessCaseInputError(f"Ukendt status: {status!r}.")
    _check_title_free(municipality, title)

    case = BusinessCase.objects.create(
        municipality=municipality,
        title=title,
        years=years,
        printed=printed,
        status=status,
        created_by=acting_person(actor),
        **texts,
    )
    BusinessCaseLine.objects.bulk_create(
        BusinessCaseLine(case=case, position=position, **line) for position, line in enumerate(lines, start=1)
    )
    BusinessCaseRisk.objects.bulk_create(BusinessCaseRisk(case=case, **item) for item in risk_items)
    BusinessCaseKpi.objects.bulk_create(BusinessCaseKpi(case=case, **item) for item in kpi_items)
    BusinessCaseMilestone.objects.bulk_create(BusinessCaseMilestone(case=case, **item) for item in milestone_items)
    BusinessCaseScenario.objects.bulk_create(BusinessCaseScenario(case=case, **item) for item in scenario_items)
    record(
        actor,
        "economy.business_case_created",
        case,
        {
            "municipality": municipality.code,
            "years": years,
            "lines": len(lines),
            "risks": len(risk_items),
            "kpis": len(kpi_items),
            "milestones": len(milestone_items),
            "scenarios": len(scenario_items),
        },
    )
    return case


@transaction.atomic
def do_update_business_case_sections(actor: Actor | None, case: BusinessCase, **fields: str) -> BusinessCase:
    """Change the title and/or the qualitative sections (model text fields); records the changed fields."""
    checked = _check_texts(fields)
    case = BusinessCase.objects.select_for_update().select_related("municipality").get(pk=case.pk)
    if "title" in checked:
        _check_title_free(case.municipality, checked["title"], exclude_pk=case.pk)
    changed = [key for key, value in checked.items() if getattr(case, key) != value]
    if not changed:
        return case
    for key in changed:
        setattr(case, key, checked[key])
    case.save(update_fields=[*changed, "updated_at"])
    record(actor, "economy.business_case_sections_updated", case, {"fields": changed})
    return case


@transaction.atomic
def do_replace_business_case_lines(actor: Actor | None, case: BusinessCase, data: Mapping[str, Any]) -> BusinessCase:
    """Replace Tabel 1 (years, lines, printed totals) from FILE.json data; the title stays the case's own.

    Refused (BusinessCaseInputError) if a saved scenario would no longer fit the new lines or years.
    """
    case = BusinessCase.objects.select_for_update().get(pk=case.pk)
    years, lines, printed = _lines_and_printed({**data, "title": case.title})
    new_dict = {"title": case.title, "years": years, "lines": lines}
    for scenario in case.scenarios.all():
        try:
            check_adjustments(new_dict, scenario.adjustments)
        except BusinessCaseInputError as error:
            raise BusinessCaseInputError(
                f"Scenariet '{scenario.name}' passer ikke til de nye linjer: {error} Ret eller slet scenariet først."
            ) from None
    before = {"years": list(case.years), "lines": case.lines.count()}
    case.lines.all().delete()
    BusinessCaseLine.objects.bulk_create(
        BusinessCaseLine(case=case, position=position, **line) for position, line in enumerate(lines, start=1)
    )
    case.years = years
    case.printed = printed
    case.save(update_fields=["years", "printed", "updated_at"])
    record(
        actor,
        "economy.business_case_lines_replaced",
        case,
        {"before": before, "after": {"years": years, "lines": len(lines)}},
    )
    return case


@transaction.atomic
def do_add_business_case_risk(actor: Actor | None, case: BusinessCase, risk: str, mitigation: str) -> BusinessCaseRisk:
    (item,) = _check_items([{"risk": risk, "mitigation": mitigation}], "Risiko", BusinessCaseRisk, RISK_COLUMNS)
    created = BusinessCaseRisk.objects.create(case=case, **item)
    record(actor, "economy.business_case_risk_added", case, {"risk": item["risk"][:200]})
    return created


@transaction.atomic
def do_delete_business_case_risk(actor: Actor | None, risk: BusinessCaseRisk) -> None:
    case = risk.case
    text = risk.risk
    risk.delete()
    record(actor, "economy.business_case_risk_deleted", case, {"risk": text[:200]})


@transaction.atomic
def do_add_business_case_kpi(
    actor: Actor | None, case: BusinessCase, criterion: str, measurement: str, owner: str, timing: str
) -> BusinessCaseKpi:
    (item,) = _check_items(
        [{"criterion": criterion, "measurement": measurement, "owner": owner, "timing": timing}],
        "Succeskriterie",
        BusinessCaseKpi,
        KPI_COLUMNS,
    )
    created = BusinessCaseKpi.objects.create(case=case, **item)
    record(actor, "economy.business_case_kpi_added", case, {"criterion": item["criterion"][:200]})
    return created


@transaction.atomic
def do_delete_business_case_kpi(actor: Actor | None, kpi: BusinessCaseKpi) -> None:
    case = kpi.case
    text = kpi.criterion
    kpi.delete()
    record(actor, "economy.business_case_kpi_deleted", case, {"criterion": text[:200]})


@transaction.atomic
def do_add_business_case_milestone(
    actor: Actor | None, case: BusinessCase, when: str, what: str
) -> BusinessCaseMilestone:
    (item,) = _check_items([{"when": when, "what": what}], "Milepæl", BusinessCaseMilestone, MILESTONE_COLUMNS)
    created = BusinessCaseMilestone.objects.create(case=case, **item)
    record(actor, "economy.business_case_milestone_added", case, {"when": item["when"], "what": item["what"][:200]})
    return created


@transaction.atomic
def do_delete_business_case_milestone(actor: Actor | None, milestone: BusinessCaseMilestone) -> None:
    case = milestone.case
    details = {"when": milestone.when, "what": milestone.what[:200]}
    milestone.delete()
    record(actor, "economy.business_case_milestone_deleted", case, details)


@transaction.atomic
def do_save_business_case_scenario(
    actor: Actor | None, case: BusinessCase, name: str, adjustments: Mapping[str, Any], description: str = ""
) -> BusinessCaseScenario:
    """Create the scenario, or replace the adjustments and description of the one with this name.

    `adjustments` is {line label: [amount added per year]} in 1,000 kr.; labels must be lines of the case.
    """
    checked = _check_scenario(
        case_to_dict(case), {"name": name, "description": description, "adjustments": dict(adjustments)}
    )
    scenario, created = BusinessCaseScenario.objects.update_or_create(
        case=case,
        name=checked["name"],
        defaults={"description": checked["description"], "adjustments": checked["adjustments"]},
    )
    record(
        actor,
        "economy.business_case_scenario_saved",
        case,
        {"scenario": scenario.name, "created": created, "adjustments": checked["adjustments"]},
    )
    return scenario


@transaction.atomic
def do_set_business_case_scenario_line(
    actor: Actor | None, case: BusinessCase, name: str, line: str, amounts: Sequence[int | float], description: str = ""
) -> BusinessCaseScenario:
    """Set one line's adjustment (1,000 kr. added per year) in the scenario with this name, created if new.

    The scenario's other lines keep their adjustments, and an empty description keeps the scenario's own
    (the edit page adds a scenario one line at a time).
    """
    name = name.strip()
    existing = case.scenarios.filter(name=name).first()
    adjustments = dict(existing.adjustments) if existing else {}
    adjustments[line] = list(amounts)
    description = description.strip() or (existing.description if existing else "")
    return do_save_business_case_scenario(actor, case, name, adjustments, description)


@transaction.atomic
def do_delete_business_case_scenario(actor: Actor | None, scenario: BusinessCaseScenario) -> None:
    case = scenario.case
    name = scenario.name
    scenario.delete()
    record(actor, "economy.business_case_scenario_deleted", case, {"scenario": name})


@transaction.atomic
def do_set_business_case_status(actor: Actor | None, case: BusinessCase, status: str) -> BusinessCase:
    if status not in BusinessCaseStatus.values:
        raise BusinessCaseInputError(f"Ukendt status: {status!r}.")
    case = BusinessCase.objects.select_for_update().get(pk=case.pk)
    old = case.status
    if old == status:
        return case
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    record(actor, "economy.business_case_status_changed", case, {"from": old, "to": status})
    return case


@transaction.atomic
def do_delete_business_case(actor: Actor | None, case: BusinessCase) -> None:
    """Delete a case with its lines, risks, KPIs, timeline and scenarios; the audit entry keeps its title."""
    details = {"municipality": case.municipality.code, "title": case.title, "lines": case.lines.count()}
    record(actor, "economy.business_case_deleted", case, details)
    case.delete()
