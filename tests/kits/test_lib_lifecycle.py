import pytest

from samvirke.kits.lib import lifecycle as lc


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (lc.ORDERED, lc.IN_STOCK),
        (lc.IN_STOCK, lc.PREPARING),
        (lc.PREPARING, lc.INSTALLED),
        (lc.INSTALLED, lc.IN_USE),
        (lc.IN_USE, lc.FAULT),
        (lc.FAULT, lc.REMOTE_FIXED),
        (lc.REMOTE_FIXED, lc.IN_USE),
        (lc.FAULT, lc.COLLECTED),
        (lc.IN_USE, lc.COLLECTED),
        (lc.COLLECTED, lc.CLEANING),
        (lc.CLEANING, lc.IN_STOCK),
        (lc.CLEANING, lc.SCRAPPED),
        (lc.CLEANING, lc.RETURNED_TO_SUPPLIER),
    ],
)
def test_the_seeds_lifecycle_is_allowed(before, after):
    lc.check_transition(before, after)
    assert lc.can_transition(before, after)


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        (lc.SCRAPPED, lc.IN_USE, "«Kasseret» kan ikke flyttes"),
        (lc.RETURNED_TO_SUPPLIER, lc.IN_STOCK, "ude af drift"),
        (lc.ORDERED, lc.IN_USE, "fra «Bestilt» til «I brug»"),
        (lc.IN_STOCK, lc.IN_USE, "Mulige næste"),
        (lc.COLLECTED, lc.IN_STOCK, "«Rengøring og småreparation»"),
        (lc.IN_USE, lc.IN_USE, "allerede"),
        (lc.IN_USE, "stolen", "Ukendt status"),
    ],
)
def test_impossible_transitions_are_refused_in_danish(before, after, words):
    with pytest.raises(lc.TransitionRefused, match=words):
        lc.check_transition(before, after)
    assert not lc.can_transition(before, after)


def test_final_statuses_are_exactly_returned_and_scrapped():
    assert {lc.RETURNED_TO_SUPPLIER, lc.SCRAPPED} == lc.FINAL


def test_every_status_can_be_reached_from_ordered_and_every_unit_can_leave_service():
    reached, frontier = {lc.ORDERED}, [lc.ORDERED]
    while frontier:
        for nxt in lc.TRANSITIONS[frontier.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    assert reached == set(lc.STATUSES)
    for status in lc.STATUSES:  # from anywhere, a way out of service exists
        seen, todo = {status}, [status]
        while todo:
            for nxt in lc.TRANSITIONS[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        assert seen & lc.FINAL
