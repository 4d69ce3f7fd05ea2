"""Every write in the contact centre, one module per concern (lowest first; each imports only those before it):

- routing: handing contacts to agents, the agents' presence rows, the timers (and the lock order all follow);
- presence: ready, pause, offline, the end of a wrap-up; skills;
- events: the telephony platform's events, applied exactly once;
- registration: the agent's wrap-up registration and the transfer that keeps it;
- chat: chats handed over from the assistant, callbacks and messages left out of hours;
- retention: personal data deleted after its period.

Reads (the cached queues, queue positions, opening hours) are in contact/selectors.py. The public names are
re-exported here, so callers write `actions.do_…`.
"""

from samvirke.contact.actions.chat import (
    MAX_CHAT_MESSAGE_CHARS,
    MAX_LATER_MESSAGE_CHARS,
    MAX_TRANSCRIPT_CHARS,
    LaterRequest,
    do_answer_contact,
    do_leave_chat,
    do_rate_chat,
    do_request_later_contact,
    do_send_agent_message,
    do_send_chat_message,
    do_start_chat,
)
from samvirke.contact.actions.events import EventResult, process_event
from samvirke.contact.actions.presence import do_add_agent_skill, do_end_wrap_up, do_set_agent_status
from samvirke.contact.actions.registration import (
    MAX_NOTE_CHARS,
    Registration,
    RegistrationDraft,
    TransferDestination,
    do_register_contact,
    do_save_registration_draft,
    do_transfer_contact,
)
from samvirke.contact.actions.retention import do_apply_retention
from samvirke.contact.actions.routing import (
    ContactError,
    Handover,
    agent_state_for,
    dispatch_waiting,
    do_pick_contact,
    do_withdraw_unanswered_offer,
)

__all__ = [
    "MAX_CHAT_MESSAGE_CHARS",
    "MAX_LATER_MESSAGE_CHARS",
    "MAX_NOTE_CHARS",
    "MAX_TRANSCRIPT_CHARS",
    "ContactError",
    "EventResult",
    "Handover",
    "LaterRequest",
    "Registration",
    "RegistrationDraft",
    "TransferDestination",
    "agent_state_for",
    "dispatch_waiting",
    "do_add_agent_skill",
    "do_answer_contact",
    "do_apply_retention",
    "do_end_wrap_up",
    "do_leave_chat",
    "do_pick_contact",
    "do_rate_chat",
    "do_register_contact",
    "do_request_later_contact",
    "do_save_registration_draft",
    "do_send_agent_message",
    "do_send_chat_message",
    "do_set_agent_status",
    "do_start_chat",
    "do_transfer_contact",
    "do_withdraw_unanswered_offer",
    "process_event",
]
