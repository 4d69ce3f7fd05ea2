"""Fixtures for kits: consent's landsdel Sjælland, its operators and a consenting citizen (tests/consent), plus a
device model and units in stock."""

from __future__ import annotations

import pytest

from samvirke.kits.actions import do_order_units, do_receive_units
from samvirke.kits.models import DeviceKind, DeviceModel, Unit
from samvirke.telecare.models import Landsdel
from tests.consent.conftest import (  # noqa: F401 (fixtures)
    citizen,
    consent_text,
    landsdel,
    operators,
    other_landsdel,
    refer,
)


@pytest.fixture
def scale_model(db: None) -> DeviceModel:
    return DeviceModel.objects.create(name="BS-410", kind=DeviceKind.SCALE, supplier="MedTech ApS")


@pytest.fixture
def stock(landsdel: Landsdel, scale_model: DeviceModel) -> list[Unit]:  # noqa: F811
    units = do_order_units(None, landsdel, scale_model, ["S-1", "S-2", "S-3"])
    return do_receive_units(None, units, "Lager Sorø")
