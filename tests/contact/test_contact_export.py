"""The one-row-per-contact export: Danish topic titles with the id beside them, real Excel date-times in a Danish
format, ISO 8601 in the CSV, and no cell Excel would run as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from samvirke.contact.exports import HEADERS, csv_text
from samvirke.contact.models import Contact
from samvirke.directory.models import Person
from samvirke.knowledge.models import Topic
from tests.conftest import client_for
from tests.contact.conftest import LOCAL, Telephony
from tests.contact.test_contact_pages import traffic  # noqa: F401  (a fixture, used by name)

URL = "/kontaktcenter/rapporter/kontakter.{fmt}?fra=2026-11-23&til=2026-11-23"


@pytest.fixture
def topics(db: None) -> None:
    Topic.objects.create(id="mitid-get", category="MitID", title="Få MitID")
    Topic.objects.create(id="digital-post-read", category="Digital Post", title="Læs din Digital Post")


def _xlsx(person: Person) -> tuple[list[str], list[tuple[object, ...]], object]:
    response = client_for(person).get(URL.format(fmt="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    return [str(h) for h in rows[0]], rows[1:], sheet


def _csv(person: Person) -> list[dict[str, str]]:
    text = client_for(person).get(URL.format(fmt="csv")).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_topic_is_its_danish_title_with_the_id_in_its_own_column(
    secretariat: Person,
    topics: None,
    traffic: Telephony,  # noqa: F811
) -> None:
    headers, rows, _sheet = _xlsx(secretariat)
    by_id = {row[0]: dict(zip(headers, row, strict=True)) for row in rows}
    h1 = by_id[Contact.objects.get(external_id="h1").pk]
    assert (h1["Emne"], h1["Emne-id"]) == ("Få MitID", "mitid-get")
    k1 = next(row for row in _csv(secretariat) if row["Kontakt-id"] == str(Contact.objects.get(external_id="k1").pk))
    assert (k1["Emne"], k1["Emne-id"]) == ("Læs din Digital Post", "digital-post-read")


def test_times_are_excel_datetimes_in_a_danish_format_and_iso_in_the_csv(
    secretariat: Person,
    topics: None,
    traffic: Telephony,  # noqa: F811
) -> None:
    headers, rows, sheet = _xlsx(secretariat)
    offered = headers.index("Tilbudt") + 1
    first = sheet.cell(row=2, column=offered)  # type: ignore[attr-defined]
    assert first.value == dt.datetime(2026, 11, 23, 10, 0, 10)  # a date-time, Danish wall-clock time
    assert first.number_format == "dd-mm-yyyy hh:mm:ss"
    wait = sheet.cell(row=2, column=headers.index("Ventetid (sek.)") + 1)  # type: ignore[attr-defined]
    assert wait.value == 30  # numbers stay numbers
    row = _csv(secretariat)[0]
    assert row["Tilbudt"] == "2026-11-23T10:00:10+01:00"
    assert dt.datetime.fromisoformat(row["Besvaret"]) == dt.datetime(2026, 11, 23, 10, 0, 40, tzinfo=LOCAL)
    assert row["Lagt på"] == ""


def test_a_note_that_looks_like_a_formula_stays_text(secretariat: Person, topics: None, traffic: Telephony) -> None:  # noqa: F811
    Contact.objects.filter(external_id="h1").update(note='=HYPERLINK("http://x";"klik")', transferred_to="+45 1")
    _headers, _rows, sheet = _xlsx(secretariat)
    note = sheet.cell(row=2, column=HEADERS.index("Notat (maskeret)") + 1)  # type: ignore[attr-defined]
    assert note.data_type == "s" and note.value.startswith("=HYPERLINK")
    row = _csv(secretariat)[0]
    assert row["Notat (maskeret)"].startswith("'=HYPERLINK") and row["Viderestillet til"] == "'+45 1"


def test_csv_fields_are_plain_where_nothing_needs_guarding() -> None:
    assert csv_text(None) == "" and csv_text(30) == "30" and csv_text("Holbæk") == "Holbæk"
    assert csv_text("-3") == "'-3" and csv_text("@SUM(A1)") == "'@SUM(A1)"
