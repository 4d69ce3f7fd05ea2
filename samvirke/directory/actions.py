"""Every write to directory data. Each action runs in one transaction and writes its audit entry."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from samvirke.audit.actions import record
from samvirke.directory.lib.populations import Population40PlusRow, PopulationUpdate
from samvirke.directory.models import Actor, Membership, MembershipStatus, Municipality, PopulationAged40Plus

# The life of a membership. A member that left may start onboarding again; nothing skips onboarding.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    MembershipStatus.PROSPECTIVE: {MembershipStatus.ONBOARDING, MembershipStatus.LEFT},
    MembershipStatus.ONBOARDING: {
        MembershipStatus.ACTIVE,
        MembershipStatus.PROSPECTIVE,
        MembershipStatus.LEFT,
    },
    MembershipStatus.ACTIVE: {MembershipStatus.LEFT},
    MembershipStatus.LEFT: {MembershipStatus.ONBOARDING},
}


class MembershipTransitionError(ValueError):
    pass


@transaction.atomic
def do_import_populations(actor: Actor | None, updates: list[PopulationUpdate]) -> int:
    """Write checked population figures (see lib.populations); returns how many municipalities changed."""
    by_code = {
        m.code: m for m in Municipality.objects.select_for_update().filter(code__in=[u.kommunekode for u in updates])
    }
    changed = 0
    for update in updates:
        municipality = by_code[update.kommunekode]
        before = (municipality.population, municipality.population_year, municipality.population_source)
        after = (update.population, update.year, update.source)
        if before == after:
            continue
        municipality.population, municipality.population_year, municipality.population_source = after
        municipality.save(update_fields=["population", "population_year", "population_source"])
        record(
            actor,
            "directory.population_imported",
            municipality,
            {"before": list(before), "after": list(after), "line": update.line},
        )
        changed += 1
    return changed


@transaction.atomic
def do_import_populations_40plus(actor: Actor | None, rows: list[Population40PlusRow], year: int, source: str) -> int:
    """Write checked counts of inhabitants aged 40+ for `year` (see lib.populations); returns how many changed.
    One audit entry for the file, naming what changed."""
    by_code = {m.code: m for m in Municipality.objects.filter(code__in=[r.kommunekode for r in rows])}
    existing = {
        p.municipality_id: p
        for p in PopulationAged40Plus.objects.select_for_update().filter(year=year, municipality__in=by_code.values())
    }
    changed: list[dict[str, object]] = []
    for row in rows:
        municipality = by_code[row.kommunekode]
        current = existing.get(municipality.pk)
        if current is not None and (current.count, current.source) == (row.count, source):
            continue
        before = None if current is None else current.count
        PopulationAged40Plus.objects.update_or_create(
            municipality=municipality, year=year, defaults={"count": row.count, "source": source}
        )
        changed.append({"kommunekode": row.kommunekode, "before": before, "after": row.count, "line": row.line})
    if changed:
        record(
            actor, "directory.population_40plus_imported", None, {"year": year, "source": source, "changed": changed}
        )
    return len(changed)


@transaction.atomic
def do_change_membership_status(
    actor: Actor | None, membership: Membership, new_status: str, on_date: dt.date
) -> Membership:
    """Move a membership along prospective → onboarding → active → left, stamping the dates it implies."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old_status = membership.status
    if new_status not in MembershipStatus.values:
        raise MembershipTransitionError(f"Ukendt status: {new_status!r}.")
    if new_status not in ALLOWED_TRANSITIONS[old_status]:
        raise MembershipTransitionError(
            f"Et medlemskab kan ikke gå fra '{MembershipStatus(old_status).label}' "
            f"til '{MembershipStatus(new_status).label}'."
        )
    membership.status = new_status
    fields = ["status"]
    if new_status == MembershipStatus.ACTIVE and membership.member_since is None:
        membership.member_since = on_date
        fields.append("member_since")
    if new_status == MembershipStatus.LEFT:
        membership.left_on = on_date
        fields.append("left_on")
    if new_status == MembershipStatus.ONBOARDING and old_status == MembershipStatus.LEFT:
        membership.left_on = None
        membership.member_since = None
        fields += ["left_on", "member_since"]
    # A member that starts joining takes no calls and no shifts until onboarding says it is ready; one the
    # secretariat declares active here does (the secretariat's override, kept in this entry).
    if new_status in (MembershipStatus.ONBOARDING, MembershipStatus.ACTIVE):
        membership.ready_for_shifts = new_status == MembershipStatus.ACTIVE
        fields.append("ready_for_shifts")
    membership.save(update_fields=fields)
    record(
        actor,
        "directory.membership_status_changed",
        membership,
        {
            "from": old_status,
            "to": new_status,
            "on": on_date.isoformat(),
            "ready_for_shifts": membership.ready_for_shifts,
        },
    )
    return membership
