"""Fixtures for telesupport: consent's landsdel Sjælland with an operator user of each kind and a consenting
citizen of Greve (tests/consent/conftest.py), support set up (queue, settings, seed trees), and the citizen's kit:
a scale and a tablet in use."""

from __future__ import annotations

import pytest

from samvirke.consent.models import ProgrammeCitizen
from samvirke.kits.models import DeviceModel, Unit
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.actions import do_setup_landsdel_support
from samvirke.telesupport.models import TelesupportSettings
from tests.consent.conftest import (  # noqa: F401  (fixtures, used by name)
    citizen,
    consent_text,
    landsdel,
    operator_person,
    operators,
    other_landsdel,
    refer,
)

LINE_NUMBER = "70707070"


@pytest.fixture
def support(landsdel: Landsdel) -> TelesupportSettings:  # noqa: F811
    return do_setup_landsdel_support(None, landsdel, line_number=LINE_NUMBER)


def make_unit(landsdel: Landsdel, citizen: ProgrammeCitizen | None, kind: str, serial: str) -> Unit:  # noqa: F811
    model, _ = DeviceModel.objects.get_or_create(
        name=f"Model {kind}", kind=kind, defaults={"supplier": "Leverandør A/S"}
    )
    return Unit.objects.create(
        serial=serial, model=model, landsdel=landsdel, status="in_use", location="Hos borgeren", citizen=citizen
    )


@pytest.fixture
def scale(landsdel: Landsdel, citizen: ProgrammeCitizen) -> Unit:  # noqa: F811
    return make_unit(landsdel, citizen, "scale", "SC-0001")
