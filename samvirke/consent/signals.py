"""What consent tells the apps above it (kits, telesupport) without importing them: consent sits below both.

Sent inside the action's transaction (sender ProgrammeCitizen, kwargs citizen, actor, day), so what a receiver
writes (kits: a set-up task on referral, a take-down task at the end of course) commits or rolls back with the
action itself. A receiver that raises undoes the action.
"""

from __future__ import annotations

from django.dispatch import Signal

citizen_referred = Signal()  # kwargs: citizen, actor, day
citizen_enrolled = Signal()  # kwargs: citizen, actor, day
course_ended = Signal()  # kwargs: citizen, actor, day
consent_withdrawn = Signal()  # kwargs: citizen, consent, actor
consent_recorded = Signal()  # kwargs: citizen, consent, actor (kits: the set-up task once logistics is covered)
