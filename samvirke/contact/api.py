"""The contact centre's JSON API.

- `POST /api/telephony/events`: the telephony platform's events, signed with HMAC-SHA256 over the raw body
  in the header `X-Samvirke-Signature: sha256=<hex>`; idempotent by `event_id`.
- `GET /api/telephony/assignments`: the phone calls given to an agent and not yet answered, which the platform
  polls for assignments no reply told it of; signed the same way over the path with its query.
- `/api/contact/…`: for logged-in agents and the secretariat (session), e.g. the wallboard figures.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from ninja import Router, Schema
from pydantic import ConfigDict, Field, TypeAdapter

from samvirke.contact import access, actions, selectors
from samvirke.contact.lib.events import MAX_BODY_BYTES, PAUSE_REASONS, EventError, TimeWindow, check_body, parse_event
from samvirke.contact.lib.signature import HEADER, is_valid
from samvirke.core.api_schemas import SESSION_ERRORS, BusyOut, DetailOut

log = logging.getLogger("samvirke.telephony")

telephony_router = Router(tags=["telefoni"])
contact_router = Router(tags=["kontaktcenter"])


def _signature_header(signed: str) -> dict[str, Any]:
    """The OpenAPI description of the signature header; `signed`: what the HMAC is computed over."""
    return {
        "in": "header",
        "name": HEADER,
        "required": True,
        "schema": {"type": "string"},
        "description": f"sha256=<hex> af HMAC-SHA256(hemmelighed, {signed})",
    }


@sensitive_variables("secret")
def _refuse_unsigned(request: HttpRequest, signed: bytes, what: str) -> JsonResponse | None:
    """401 without a signature, 403 with a wrong one (logged), None when `signed` carries the platform's signature.
    `what`: the Danish name of what was sent, for the message. A header that is not even ASCII is a wrong one."""
    signature = request.headers.get(HEADER, "")
    if not signature:
        return JsonResponse({"detail": f"{what} er ikke signeret ({HEADER} mangler)."}, status=401)
    secret = settings.TELEPHONY_SECRET
    if not is_valid(signed, secret, signature):
        log.warning("telephony request to %s with a wrong signature refused", request.path)
        return JsonResponse({"detail": "Forkert signatur."}, status=403)
    return None


def event_window(now: dt.datetime) -> TimeWindow:
    """The times an event may carry (settings TELEPHONY_EVENT_MAX_AGE and TELEPHONY_EVENT_MAX_AHEAD)."""
    return TimeWindow(now - settings.TELEPHONY_EVENT_MAX_AGE, now + settings.TELEPHONY_EVENT_MAX_AHEAD)


_ID_PATTERN = r"^[!-~]+$"  # printable ASCII without spaces
_PHONE_PATTERN = r"^\+?[0-9 ]*$"


def _call_id() -> Any:
    return Field(min_length=1, max_length=100, pattern=_ID_PATTERN)


class _Event(Schema):
    """What every event carries. Each type below lists the rest; any other field is refused (400), never stored."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=1, max_length=100, pattern=_ID_PATTERN)
    occurred_at: dt.datetime = Field(description="ISO 8601 med tidszone, højst 30 dage tilbage og 1 dag frem")


class CallOfferedIn(_Event):
    type: Literal["call_offered"]
    call_id: str = _call_id()
    called_number: str = Field(min_length=1, max_length=20, pattern=_PHONE_PATTERN)
    caller_number: str | None = Field(default=None, max_length=20, pattern=_PHONE_PATTERN)
    ivr_municipality_code: int | None = Field(default=None, ge=100, le=999)
    ivr_topic: str | None = Field(default=None, max_length=100)


class CallEventIn(_Event):
    type: Literal["call_answered", "call_ended", "call_abandoned", "callback_requested"]
    call_id: str = _call_id()


class CallTransferredIn(_Event):
    type: Literal["call_transferred"]
    call_id: str = _call_id()
    transfer_target: str | None = Field(default=None, max_length=100)


class SatisfactionIn(_Event):
    type: Literal["satisfaction"]
    call_id: str = _call_id()
    rating: int = Field(ge=1, le=9)


class AgentStatusIn(_Event):
    type: Literal["agent_status"]
    agent: str = Field(min_length=1, max_length=150)
    status: Literal["ready", "pause", "offline"]
    pause_reason: Literal[PAUSE_REASONS] | None = None  # type: ignore[valid-type]


TelephonyEventIn = Annotated[
    CallOfferedIn | CallEventIn | CallTransferredIn | SatisfactionIn | AgentStatusIn, Field(discriminator="type")
]


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema with its $defs put in place of their $refs (the request body is described inline in the
    OpenAPI document, where a "#/$defs/…" reference would not resolve), and without pydantic's discriminator
    mapping, which names those refs: each variant's `type` tells them apart anyway."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items() if key != "discriminator"}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


class EventReplyOut(Schema):
    """The reply to an event. Which fields come depends on the event (see the description); these are the ones
    every call event's reply has, and the transfer's target."""

    model_config = ConfigDict(extra="allow")

    contact_id: int | None = None
    call_id: str | None = None
    state: str | None = None
    transfer_number: str | None = Field(
        default=None,
        description="Kun ved call_transferred: nummeret (8 cifre), opkaldet stilles videre til, fx regionens "
        "MinSP-support; null ved viderestilling til en anden kø eller et mål uden nummer",
    )
    transfer_name: str | None = Field(default=None, description="Kun ved call_transferred: hvem nummeret når")


EVENT_DOC = """Hændelser fra telefoniplatformen. Kroppen signeres med HMAC-SHA256 og den delte hemmelighed:
`X-Samvirke-Signature: sha256=<hex>`. Samme `event_id` to gange giver det første svar igen og ændrer intet.

- `call_offered` (called_number, caller_number, ivr_municipality_code?, ivr_topic?): svaret siger, hvilken
  medarbejder opkaldet stilles til (`agent`), eller at det står i kø (`estimated_wait_seconds`, `offer_callback`),
  eller at der er lukket (`message`, `assistant_url`). Et ukendt nummer lander i standardkøen og markeres.
  `ivr_topic` (højst 100 tegn) er borgerens valg i telefonmenuen: et emne-id fra vidensbasen (fx `mitid-get`)
  eller menuens ord (fx "MitID"); skrivebordet foreslår guides ud fra det.
  Mens en krise er slået til (beredskab), står `ivr_message` i svaret: teksten, som telefonmenuen læser op, før
  opkaldet stilles videre (også når der er lukket), og `crisis` (`id`, `rerouted`: none|pool|members). Et opkald til
  øvelseslinjen giver den igangværende øvelses `ivr_message` med `drill: true` og rører ikke de rigtige køer.
- `call_answered`, `call_ended`, `call_transferred` (transfer_target), `call_abandoned`,
  `callback_requested`, `satisfaction` (rating 1–9, fra telefonmenuen efter samtalen).
- `call_transferred`: svaret siger, hvortil opkaldet stilles (`transfer_number`, 8 cifre, og `transfer_name`):
  det nummer, medarbejderen valgte på skrivebordet, ellers det `transfer_target` beder om: en slags mål
  (`minsp_support` = MinSP-supporten for borgerens region, eller for regionen bag det kaldte linjenummer;
  `citizen_municipality` = borgerens kommune), et viderestillingsnummers navn eller et nummer. Numrene
  vedligeholdes pr. region i administrationen (Viderestillingsnumre). `null`, når der ikke er noget nummer.
- `agent_status` (agent = brugernavn, status ready|pause|offline): softphonens status; svaret siger,
  hvilket opkald medarbejderen får (`assigned_call_id`).

Kroppen er højst 16 KB og et fladt JSON-objekt; ukendte felter afvises. Id'er og numre er ASCII, tekst uden
kontroltegn, og `occurred_at` ligger inden for et vindue om nu (standard 30 dage tilbage og 1 dag frem).
`agent_status` gælder kun aktive agenter og koordinatorer i en medlemskommune (og simulatorens agenter).

Svar: 401 uden signatur, 403 med forkert signatur, 413 for en for stor krop, 400 ved ugyldig JSON eller felter
(med en besked), 404 for et ukendt opkald eller en ukendt medarbejder (logges; kan leveres igen), 409 når
hændelsen ikke kan gennemføres (fx en medarbejder, der ikke kan tage opkald), 200 ellers."""


# What crisis mode (preparedness) adds to the reply to `call_offered`; the rest of the reply depends on the event.
_CRISIS_REPLY = {
    "ivr_message": {
        "type": "string",
        "description": "Krisetilstand: beskeden, som telefonmenuen læser op (kun mens en krise er slået til)",
    },
    "crisis": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "rerouted": {"type": "string", "enum": ["none", "pool", "members"]},
        },
        "description": "Krisetilstand: hvilken krise, og om den ramte kommunes opkald er omstillet",
    },
    "drill": {"type": "boolean", "description": "Opkald til øvelseslinjen: svaret er øvelsens, ingen kontakt oprettes"},
}


@telephony_router.post(
    "/events",
    auth=None,
    response={
        200: EventReplyOut,
        400: DetailOut,
        401: DetailOut,
        403: DetailOut,
        404: DetailOut,
        409: DetailOut,
        413: DetailOut,
        503: BusyOut,
    },
    summary="Modtag en hændelse fra telefoniplatformen",
    description=EVENT_DOC,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inlined(TypeAdapter(TelephonyEventIn).json_schema())}},
        },
        "parameters": [_signature_header("krop")],
        "responses": {200: {"content": {"application/json": {"schema": {"properties": _CRISIS_REPLY}}}}},
    },
)
def receive_event(request: HttpRequest) -> HttpResponse:
    # Bounded before anything is read: the declared length first, then what actually came.
    if _declared_length(request) > MAX_BODY_BYTES:
        return JsonResponse({"detail": f"Hændelsen er for stor (højst {MAX_BODY_BYTES} bytes)."}, status=413)
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return JsonResponse({"detail": f"Hændelsen er for stor (højst {MAX_BODY_BYTES} bytes)."}, status=413)
    refused = _refuse_unsigned(request, body, "Hændelsen")
    if refused is not None:
        return refused
    try:
        check_body(body)  # nesting bounded before json.loads, which would recurse into it
        payload = json.loads(body)
    except EventError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    except ValueError as exc:  # invalid JSON or UTF-8, or an integer of more than 4,300 digits
        return JsonResponse({"detail": f"Kroppen er ikke gyldig JSON: {str(exc)[:200]}"}, status=400)
    try:
        event = parse_event(payload, event_window(timezone.now()))
    except EventError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    result = actions.process_event(event, payload)
    if result.status == 404:
        log.warning("telephony event %s for an unknown call %s", event.event_id, event.call_id)
    return JsonResponse(result.body, status=result.status)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


ASSIGNMENTS_DOC = """Opkald, der er givet til en medarbejder og endnu ikke besvaret (ældste først): dem skal platformen
ringe ud til. De fleste tildelinger står allerede i svaret på den hændelse, der gav dem (`call_offered`,
`agent_status`); en tildeling, der sker lige efter en anden hændelse (et opkald og en medarbejder, der blev ledige
samtidig), står kun her, så platformen spørger jævnligt, fx hvert sekund.

Et opkald, som en medarbejder har viderestillet til en anden kø, fortsætter med opkalds-id'et `<call_id>/2` (`/3` ved
næste viderestilling): når det nye ben er tildelt, står det her, og platformen sender dets hændelser med det id.

Signeres som hændelserne, men over stien med forespørgsel (`/api/telephony/assignments`): 401 uden signatur,
403 med forkert signatur."""


class AssignmentOut(Schema):
    call_id: str
    agent: str | None
    municipality_code: int | None
    assigned_at: str


@telephony_router.get(
    "/assignments",
    auth=None,
    response={200: list[AssignmentOut], 401: DetailOut, 403: DetailOut, 503: BusyOut},
    summary="Tildelte opkald, der venter på at blive besvaret",
    description=ASSIGNMENTS_DOC,
    openapi_extra={"parameters": [_signature_header("sti med forespørgsel")]},
)
def calls_awaiting_answer(request: HttpRequest) -> HttpResponse:
    refused = _refuse_unsigned(request, request.get_full_path().encode(), "Forespørgslen")
    if refused is not None:
        return refused
    return JsonResponse(selectors.phone_calls_awaiting_answer(), safe=False)


class KpisOut(Schema):
    offered: int
    answered: int
    abandoned: int
    waiting: int
    closed: int
    service_level: float | None
    average_speed_of_answer_seconds: float | None
    average_handle_time_seconds: float | None
    resolved_at_once_share: float | None
    satisfaction: float | None
    chatbot_share: float | None
    chatbot_share_formula: str
    transfers_to_minsp_support: int
    agents: dict[str, int]


@contact_router.get("/wallboard", response={200: KpisOut, **SESSION_ERRORS}, summary="Dagens tal for tavlen")
def wallboard(request: HttpRequest) -> dict[str, Any]:
    if not access.can_view_wallboard(request.user):
        raise PermissionDenied("Tavlen er for fællesskabets medarbejdere.")
    return selectors.wallboard_figures(timezone.now())
