from __future__ import annotations

from decimal import Decimal

import pytest

from samvirke.directory.models import Fellesskab
from samvirke.economy.actions.invoicing import do_save_economy_settings
from samvirke.economy.models import EconomySettings


@pytest.fixture
def model_2025(fellesskab: Fellesskab) -> EconomySettings:
    """2025 at the seed's price 1.7375 kr. per citizen for the test fællesskab (Holbæk, Greve, Køge)."""
    return do_save_economy_settings(None, fellesskab, 2025, price_per_citizen=Decimal("1.7375"))
