"""The virtual contact centre: queues, agents' presence, contacts (calls and chats) and the telephony event log.

Everything that routing needs lives in these rows, not in a process's memory, so any number of web workers
can take events; routing locks the rows it hands out (see actions/routing.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models

from samvirke.contact.lib.transfer import PhoneNumberError, normalise_phone
from samvirke.directory.models import Line, Municipality, Region


class Skill(models.Model):
    slug = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField("navn", max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = "kompetence"
        verbose_name_plural = "kompetencer"

    def __str__(self) -> str:
        return self.name


def default_opening_hours() -> dict[str, list[list[str]]]:
    """The hotline's 60 hours a week: Monday to Friday 8–20 (weekday 0 = Monday)."""
    return {str(day): [["08:00", "20:00"]] for day in range(5)}


class Queue(models.Model):
    """One queue per line. The called number picks the line; the line picks the queue."""

    slug = models.SlugField(unique=True, max_length=40)
    name = models.CharField("navn", max_length=100)
    line = models.CharField("linje", max_length=30, choices=Line.choices, unique=True)
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, null=True, blank=True, related_name="queues", verbose_name="kræver kompetence"
    )
    priority = models.PositiveSmallIntegerField("prioritet", default=1, help_text="Højere tal tages først")
    is_default = models.BooleanField(
        "standardkø", default=False, help_text="Opkald til et ukendt nummer lander her (og markeres)"
    )
    opening_hours = models.JSONField("åbningstider", default=default_opening_hours)
    service_level_seconds = models.PositiveIntegerField("servicemål (sekunder)", default=60)
    overflow_after_seconds = models.PositiveIntegerField(
        "overløb efter (sekunder)",
        null=True,
        blank=True,
        help_text="Efter så lang ventetid må alle medarbejdere tage kontakten, også uden kompetencen",
    )
    callback_offer_seconds = models.PositiveIntegerField(
        "tilbyd opringning ved forventet ventetid over (sekunder)", default=300
    )
    closed_message = models.TextField(
        "besked når lukket",
        default="Hotlinen har lukket. Du kan få svar døgnet rundt hos vores digitale assistent.",
    )
    chat_offer_seconds = models.PositiveIntegerField(
        "tid til at tage en chat (sekunder)",
        default=30,
        validators=[MaxValueValidator(600)],
        help_text="En chat, som medarbejderen ikke tager i tide, går tilbage i køen, og medarbejderen sættes på pause",
    )
    wrap_up_seconds = models.PositiveIntegerField(
        "efterbehandlingstid (sekunder)",
        default=60,
        validators=[MaxValueValidator(3600)],
        help_text="Tid til registrering efter en samtale; derefter bliver medarbejderen klar af sig selv",
    )

    class Meta:
        ordering = ["-priority", "name"]
        verbose_name = "kø"
        verbose_name_plural = "køer"

    def __str__(self) -> str:
        return self.name


class AgentStatus(models.TextChoices):
    OFFLINE = "offline", "Logget af"
    READY = "ready", "Klar"
    BUSY = "busy", "Optaget"
    WRAP_UP = "wrap_up", "Efterbehandling"
    PAUSE = "pause", "Pause"


class PauseReason(models.TextChoices):
    BREAK = "break", "Pause"
    MEETING = "meeting", "Møde"
    TRAINING = "training", "Uddannelse"
    BACK_OFFICE = "back_office", "Bagvagt/sagsbehandling"
    OTHER = "other", "Andet"
    NO_ANSWER = "no_answer", "Besvarede ikke en chat"


class AgentState(models.Model):
    """An agent's presence. `ready_since` orders agents longest-idle first; `current_contact` is the one call or
    chat the agent holds (never two: routing assigns only to a READY agent and makes it BUSY in one transaction)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="agent_state"
    )
    status = models.CharField("status", max_length=20, choices=AgentStatus.choices, default=AgentStatus.OFFLINE)
    pause_reason = models.CharField("pauseårsag", max_length=20, choices=PauseReason.choices, blank=True)
    status_since = models.DateTimeField("status siden")
    ready_since = models.DateTimeField("klar siden", null=True, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="agents", verbose_name="kompetencer")
    # Agents on the phone only are never offered a chat. The traffic simulator's agents are such agents: it plays
    # the telephony platform, and a chat offered to it would wait for an answer no one gives.
    takes_chats = models.BooleanField("tager chats", default=True)
    current_contact = models.OneToOneField(
        "Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="holder"
    )

    class Meta:
        verbose_name = "medarbejderstatus"
        verbose_name_plural = "medarbejderstatus"
        indexes = [
            # the longest-idle ready agent: read in index order, no sort (person breaks ties)
            models.Index(fields=["status", "ready_since", "person"], name="agent_longest_idle"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class PresenceChange(models.Model):
    """Append-only log of status changes; the hours an agent was logged in are summed from it."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presence_changes")
    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=20, choices=AgentStatus.choices)
    pause_reason = models.CharField(max_length=20, choices=PauseReason.choices, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status} {self.at:%Y-%m-%d %H:%M}"


class Channel(models.TextChoices):
    PHONE = "phone", "Telefon"
    CHAT = "chat", "Chat"


class ContactState(models.TextChoices):
    QUEUED = "queued", "I kø"
    ASSIGNED = "assigned", "Tilbudt medarbejder"
    ANSWERED = "answered", "Besvaret, i gang"
    ENDED = "ended", "Besvaret, afsluttet"
    TRANSFERRED = "transferred", "Besvaret, viderestillet"
    ABANDONED = "abandoned", "Lagt på i kø"
    CLOSED = "closed", "Henvendt uden for åbningstid"


class MunicipalitySource(models.TextChoices):
    CALLED_NUMBER = "called_number", "Det kaldte nummer"
    IVR = "ivr", "Valg i telefonmenuen"
    CHAT_PAGE = "chat_page", "Chatsiden"
    UNKNOWN = "unknown", "Ukendt"


class ForwardedTo(models.TextChoices):
    NONE = "", "Ikke videresendt"
    CITIZEN_MUNICIPALITY = "citizen_municipality", "Borgerens kommune"
    MINSP_SUPPORT = "minsp_support", "Regionens MinSP-support"
    QUEUE = "queue", "En anden kø i kontaktcentret"
    OTHER = "other", "Andet"


# A topic's forward target (knowledge's Topic.forward_target) → where a contact about it is forwarded.
TOPIC_FORWARD_TARGETS = {
    "municipality": ForwardedTo.CITIZEN_MUNICIPALITY,
    "region-minsp-support": ForwardedTo.MINSP_SUPPORT,
}


class Contact(models.Model):
    """One call or chat. Timestamps are the telephony platform's (the event's `occurred_at`), so KPIs measure
    what the citizen experienced, not when an event happened to arrive."""

    channel = models.CharField("kanal", max_length=10, choices=Channel.choices)
    external_id = models.CharField("opkalds-id", max_length=100, unique=True)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="contacts")
    state = models.CharField("status", max_length=20, choices=ContactState.choices, default=ContactState.QUEUED)
    priority = models.PositiveSmallIntegerField(default=1)
    called_number = models.CharField("kaldt nummer", max_length=20, blank=True)
    caller_number = models.CharField(
        "borgerens nummer", max_length=20, blank=True, help_text="Til opringning; slettes efter opbevaringsperioden"
    )
    unknown_number = models.BooleanField("ukendt nummer", default=False)
    citizen_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="borgerens kommune",
    )
    municipality_source = models.CharField(max_length=20, choices=MunicipalitySource.choices)
    ivr_topic = models.CharField(
        "emne valgt i telefonmenuen", max_length=100, blank=True, help_text="Et emne-id eller ord fra menuen"
    )
    callback_requested = models.BooleanField("ønsker opringning", default=False)

    offered_at = models.DateTimeField("tilbudt", db_index=True)
    assigned_at = models.DateTimeField("tildelt", null=True, blank=True)
    answered_at = models.DateTimeField("besvaret", null=True, blank=True)
    ended_at = models.DateTimeField("afsluttet", null=True, blank=True)
    abandoned_at = models.DateTimeField("lagt på", null=True, blank=True)

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    agent_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="besvaret af kommune",
    )

    # The agent's registration (wrap-up).
    topic_id = models.CharField("emne", max_length=80, blank=True)
    resolved_at_once = models.BooleanField("straksafklaret", null=True, blank=True)
    forwarded_to = models.CharField("videresendt til", max_length=30, choices=ForwardedTo.choices, blank=True)
    note = models.TextField("notat (maskeret)", blank=True)
    registered_at = models.DateTimeField("registreret", null=True, blank=True)
    transferred_to = models.CharField("viderestillet til", max_length=100, blank=True)
    # The number the telephony platform moves the call to (an outside number: MinSP support, the citizen's
    # municipality …); empty for a transfer to another queue, which goes on as a new leg here.
    transfer_number = models.CharField("viderestillet til nummer", max_length=20, blank=True)
    # A transfer to another queue goes on as a new contact (a new leg) in that queue; it points back here.
    transferred_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_legs",
        verbose_name="viderestillet fra",
    )

    satisfaction = models.PositiveSmallIntegerField("tilfredshed (1–9)", null=True, blank=True)
    transcript = models.TextField("samtale med assistenten (maskeret)", blank=True)
    chat_token = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-offered_at"]
        verbose_name = "kontakt"
        verbose_name_plural = "kontakter"
        indexes = [
            models.Index(fields=["state", "priority", "offered_at"]),
            # the wait estimate's recent handle times per queue
            models.Index(fields=["queue", "state", "-ended_at"], name="contact_recent_handled"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.external_id}"


class ChatMessage(models.Model):
    """A line in a chat handed over from the assistant. Masked before it is stored."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    from_citizen = models.BooleanField()
    text = models.TextField()
    sent_at = models.DateTimeField()
    # Made by the sender's page for each message: the same id twice (a double click, a retried request) is one
    # message.
    client_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "client_id"], condition=~models.Q(client_id=""), name="one_message_per_client_id"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class CannedReply(models.Model):
    """A standard phrase for chats. The agent puts it into the message field and adapts it before sending;
    the secretariat keeps the list in the admin. {kommune} becomes the citizen's municipality."""

    title = models.CharField("titel", max_length=60)
    text = models.TextField("tekst", max_length=1000)
    position = models.PositiveSmallIntegerField("rækkefølge", default=0)
    active = models.BooleanField("i brug", default=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "standardsvar"
        verbose_name_plural = "standardsvar"

    def __str__(self) -> str:
        return self.title


class TransferNumber(models.Model):
    """An outside number the desk can transfer a contact to, e.g. a region's MinSP support. (A citizen's own
    municipality's number comes from its Borgerservice information.)"""

    name = models.CharField(
        "navn", max_length=80, help_text="Som borgeren skal læse det, fx Region Sjællands MinSP-support"
    )
    phone = models.CharField("telefonnummer", max_length=20, help_text="8 cifre, fx 70 15 00 00")
    forwarded_to = models.CharField(
        "registreres som",
        max_length=30,
        choices=[choice for choice in ForwardedTo.choices if choice[0] not in ("", "queue")],
        default=ForwardedTo.OTHER,
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="for borgere i",
        help_text="Tom: for alle borgere",
    )
    is_demo = models.BooleanField("demodata", default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "viderestillingsnummer"
        verbose_name_plural = "viderestillingsnumre"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.phone = normalise_phone(self.phone)
        except PhoneNumberError as exc:
            raise ValidationError({"phone": str(exc)}) from exc


class EventOutcome(models.TextChoices):
    APPLIED = "applied", "Udført"
    IGNORED = "ignored", "Ignoreret (forældet eller modstridende)"
    UNKNOWN_CALL = "unknown_call", "Ukendt opkald"


class TelephonyEvent(models.Model):
    """Every event the telephony platform delivered, once per event id (a redelivery is answered from here)."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=30)
    call_id = models.CharField(max_length=100, blank=True, db_index=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField()
    outcome = models.CharField(max_length=20, choices=EventOutcome.choices)
    response = models.JSONField(default=dict)
    deliveries = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "telefonihændelse"
        verbose_name_plural = "telefonihændelser"

    def __str__(self) -> str:
        return f"{self.type} {self.call_id} ({self.event_id})"
