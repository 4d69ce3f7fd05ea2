"""The assistant's pages for staff: its model's training state (polled by the knowledge pages while it learns),
and, in the knowledge base's tabs and "knowledge" URL namespace, the agents' guide search (ranked by the
assistant) and the editors' missing-answers report (what the assistant could not answer)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from samvirke.assistant import access, selectors, service
from samvirke.directory.models import Municipality
from samvirke.knowledge import access as knowledge_access
from samvirke.knowledge import selectors as knowledge_selectors
from samvirke.knowledge.lib.guides import handled_by_text, markdown_to_html
from samvirke.knowledge.pages import render_page


@login_required
@require_GET
def model_status_fragment(request: HttpRequest) -> HttpResponse:
    access.require_see_model_status(request.user)
    return render(
        request, "assistant/_model_status.html", {"status": selectors.model_status(), "include_script": False}
    )


# --- the agents' guide search (/vidensbase/soeg/) ------------------------------------------------------------


def _chosen_municipality(request: HttpRequest, members: list[Municipality]) -> Municipality:
    raw = request.GET.get("kommune", "").strip()
    if raw:
        if not raw.isdigit():
            raise Http404(f"Der findes ingen medlemskommune med kommunekode »{raw[:10]}«.")
        return knowledge_access.access_member_municipality(request.user, int(raw))
    own = getattr(request.user, "municipality", None)
    if own is not None and own in members:
        return own
    if not members:
        raise Http404("Der findes ingen medlemskommuner i fællesskabet endnu.")
    return members[0]


@dataclass(frozen=True)
class SearchHit:
    topic_id: str
    title: str
    category: str
    percent: int
    handled_by: str
    forwarded: bool
    html: str


@login_required
@require_GET
def guide_search(request: HttpRequest) -> HttpResponse:
    """A guide as the chosen municipality has it (?emne=), or the assistant's best guides for a question (?q=)."""
    knowledge_access.require_read_guides(request.user)
    members = list(knowledge_access.member_municipalities())
    municipality = _chosen_municipality(request, members)
    query = request.GET.get("q", "").replace("\x00", "").strip()[: service.MAX_QUESTION_CHARS]
    values = knowledge_selectors.placeholder_values(municipality)
    phone = values.get("phone", "")
    # A guide's link to another guide opens that guide here, for the same municipality.
    guide_url = f"?kommune={municipality.code}&emne={{topic}}"
    hits: list[SearchHit] = []
    chosen_topic = request.GET.get("emne", "").strip()
    if chosen_topic:
        topic = knowledge_access.access_topic(request.user, chosen_topic)
        knowledge_access.guide_of(topic)  # a Danish 404 for a topic that has no guide yet
        text = knowledge_selectors.guide_text_for(topic, municipality, values)
        hits.append(
            SearchHit(
                topic.pk,
                topic.title,
                topic.category,
                100,
                handled_by_text(topic.forward_target, municipality.name, phone),
                topic.forward_target is not None,
                markdown_to_html(text, guide_url=guide_url),
            )
        )
    elif query:
        topics = knowledge_selectors.topics_by_id()
        for hit in service.search(query, municipality, guide_url=guide_url):
            topic = topics[hit.topic_id]
            hits.append(
                SearchHit(
                    hit.topic_id,
                    hit.title,
                    hit.category,
                    round(hit.probability * 100),
                    handled_by_text(topic.forward_target, municipality.name, phone),
                    topic.forward_target is not None,
                    hit.html,
                )
            )
    return render_page(
        request,
        "search.html",
        {
            "query": query,
            "chosen_topic": chosen_topic,
            "municipality": municipality,
            "members": members,
            "hits": hits,
            "values": values,
            "info": getattr(municipality, "service_info", None),
            "crisis_notices": knowledge_selectors.active_crisis_notices(municipality, timezone.now()),
        },
        tab="search",
    )


# --- the missing-answers report (/vidensbase/rapporter/manglende-svar/) ------------------------------------------


@login_required
@require_GET
def missing_answers(request: HttpRequest) -> HttpResponse:
    knowledge_access.require_see_reports(request.user)
    return render_page(
        request, "missing_answers.html", selectors.missing_answers(request.GET.get("emne")), tab="missing"
    )
