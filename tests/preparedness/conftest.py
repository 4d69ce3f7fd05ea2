"""The contact centre's signed telephony platform and agents, for crisis mode's tests."""

from tests.contact.conftest import (  # noqa: F401  (fixtures)
    _the_tests_weeks_are_within_the_event_window,
    agents,
    open_hotline,
    telephony,
)
