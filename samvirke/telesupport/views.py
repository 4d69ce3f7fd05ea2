"""Telemedicine support's pages: the desk (critical first), a case (the problem-tree walk as plain forms, the kit's
status, forwarding, follow-up, closing, lessons, a request to Service), the tree editor and the steering data.
Thin: access decides, selectors read, actions write; a refused write shows its Danish message and changes
nothing."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from samvirke.contact.models import Contact
from samvirke.kits.models import Unit
from samvirke.telesupport import access, actions, selectors
from samvirke.telesupport.desk import may_open_from
from samvirke.telesupport.labels import event_label
from samvirke.telesupport.lib import trees
from samvirke.telesupport.models import CallerKind, CaseEvent, DeviceKind, ForwardTo, Priority, ProblemTree

MAX_ANSWERS_IN_FORM = 40


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require_support(request.user)
    landsdele = list(access.visible_landsdele(request.user))
    if len(landsdele) == 1:
        return redirect("telesupport:desk", slug=landsdele[0].slug)
    return render(request, "telesupport/index.html", {"landsdele": landsdele})


@login_required
def desk(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = access.access_landsdel(request.user, slug)
    user = request.user
    if request.method == "POST":
        person = access.require_work_cases(user, landsdel)
        try:
            case = actions.do_open_case(
                person,
                landsdel,
                device_kind=request.POST.get("device_kind", ""),
                description=request.POST.get("description", ""),
                priority=request.POST.get("priority", ""),
                caller_kind=request.POST.get("caller_kind", ""),
                citizen_ref=request.POST.get("citizen_ref", ""),
            )
        except actions.SupportActionError as error:
            messages.error(request, str(error))
            return redirect("telesupport:desk", slug=slug)
        return redirect("telesupport:case", pk=case.pk)
    show_closed = request.GET.get("lukkede") == "1"
    return render(
        request,
        "telesupport/desk.html",
        {
            "landsdel": landsdel,
            "cases": selectors.desk_cases(landsdel, closed=show_closed)[:200],
            "show_closed": show_closed,
            "follow_ups_due": selectors.follow_ups_due(landsdel, timezone.now()),
            "can_work": access.can_work_cases(user, landsdel),
            "can_steer": access.can_view_steering(user, landsdel),
            "device_kinds": DeviceKind.choices,
            "priorities": Priority.choices,
            "caller_kinds": CallerKind.choices,
            "trees": ProblemTree.objects.filter(landsdel=landsdel),
        },
    )


@login_required
def from_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """A case from a call on the telemedicine line (the desk's "Opret supportsag"): the agent who answered it (or
    the secretariat) picks the equipment, the priority and the citizen; the case is linked to the contact. A
    contact that already has a case goes to that case."""
    person = access.require_support(request.user)
    contact = Contact.objects.select_related("queue").filter(pk=pk).first()
    landsdel = may_open_from(person, contact) if contact is not None else None
    if contact is None or landsdel is None:
        raise PermissionDenied("Du kan kun oprette en supportsag fra et opkald på telemedicin-linjen, du har besvaret.")
    existing = contact.support_cases.order_by("pk").first()
    if existing is not None:
        return redirect("telesupport:case", pk=existing.pk)
    if request.method == "POST":
        try:
            new_case = actions.do_open_case(
                person,
                landsdel,
                device_kind=request.POST.get("device_kind", ""),
                description=request.POST.get("description", ""),
                priority=request.POST.get("priority", ""),
                caller_kind=request.POST.get("caller_kind", ""),
                citizen_ref=request.POST.get("citizen_ref", ""),
                contact=contact,
            )
        except actions.SupportActionError as error:
            messages.error(request, str(error))
        else:
            return redirect("telesupport:case", pk=new_case.pk)
    return render(
        request,
        "telesupport/from_contact.html",
        {
            "contact": contact,
            "landsdel": landsdel,
            "posted": request.POST if request.method == "POST" else {},
            "device_kinds": DeviceKind.choices,
            "priorities": Priority.choices,
            "caller_kinds": CallerKind.choices,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    support_case = access.access_case(request.user, pk)
    person = access.require_support(request.user)
    walk = None
    tree_error = ""
    try:
        _, tree = actions.tree_for(support_case)
        walk = trees.walk(tree, support_case.tree_answers)
    except (actions.SupportActionError, trees.WalkError) as error:
        tree_error = str(error)
    return render(
        request,
        "telesupport/case.html",
        {
            "case": support_case,
            "landsdel": support_case.landsdel,
            "walk": walk,
            "tree_error": tree_error,
            "card": selectors.citizen_card(person, support_case),
            "units": selectors.kit_status(support_case.citizen),
            "events": [_labelled(event) for event in support_case.events.select_related("actor")],
            "service_requests": support_case.service_requests.all(),
            "can_work": access.can_work_cases(request.user, support_case.landsdel),
            "forwards": ForwardTo.choices,
            "priorities": Priority.choices,
        },
    )


def _labelled(event: CaseEvent) -> CaseEvent:
    event.label = event_label(event.kind)  # type: ignore[attr-defined]  # the Danish word for the template
    return event


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int) -> HttpResponse:
    support_case = access.access_case(request.user, pk)
    person = access.require_work_cases(request.user, support_case.landsdel)
    what = request.POST.get("handling", "")
    post = request.POST
    unit = None
    if post.get("unit", "").isdigit():
        unit = Unit.objects.filter(pk=int(post["unit"]), landsdel=support_case.landsdel).first()
    try:
        if what == "svar":
            answers = [*support_case.tree_answers, post.get("answer", "")]
            actions.do_walk_tree(person, support_case, answers[:MAX_ANSWERS_IN_FORM])
        elif what == "tilbage":
            actions.do_walk_tree(person, support_case, support_case.tree_answers[:-1])
        elif what == "forfra":
            actions.do_walk_tree(person, support_case, [])
        elif what == "prioritet":
            actions.do_set_priority(person, support_case, post.get("priority", ""))
        elif what == "loest":
            actions.do_resolve(person, support_case, post.get("note", ""))
        elif what == "videresend":
            actions.do_forward(person, support_case, post.get("forward_to", ""), post.get("note", ""), unit=unit)
        elif what == "opfoelgning":
            actions.do_follow_up(person, support_case, post.get("note", ""))
        elif what == "luk":
            actions.do_close_case(person, support_case)
        elif what == "erfaring":
            actions.do_record_lesson(
                person,
                support_case.landsdel,
                post.get("text", ""),
                case=support_case,
                proposes_tree_change=post.get("proposes_tree_change") == "1",
            )
        elif what == "service":
            actions.do_request_service(
                person, support_case.landsdel, post.get("text", ""), case=support_case, unit=unit
            )
        else:
            messages.error(request, "Ukendt handling.")
    except actions.SupportActionError as error:
        messages.error(request, str(error))
    return redirect("telesupport:case", pk=support_case.pk)


@login_required
def tree_editor(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    row = access.access_tree(request.user, slug, kind)
    can_edit = access.can_edit_trees(request.user, row.landsdel)
    problems: list[str] = []
    if request.method == "POST":
        person = access.require_edit_trees(request.user, row.landsdel)
        post = request.POST
        try:
            if post.get("handling") == "slet":
                data = trees.remove_node(row.data, post.get("node_id", ""))
            else:
                data = trees.upsert_node(
                    row.data,
                    post.get("node_id", ""),
                    kind=post.get("kind", ""),
                    text=post.get("text", ""),
                    answers=post.get("answers", "")[:4000],
                    forward=post.get("forward", ""),
                    cause=post.get("cause", ""),
                    make_root=post.get("make_root") == "1",
                )
            actions.do_save_tree(person, row, data)
            messages.success(request, f"Problemtræet er gemt (version {row.version}).")
            return redirect("telesupport:tree", slug=slug, kind=kind)
        except trees.TreeError as error:
            problems = error.problems
    tree = trees.parse_tree(row.data)
    nodes = [
        {
            "id": node_id,
            "node": node,
            "answers_text": "\n".join(f"{a.label} -> {a.next}" for a in node.answers)
            if isinstance(node, trees.Question)
            else "",
        }
        for node_id, node in tree.nodes.items()
    ]
    return render(
        request,
        "telesupport/tree.html",
        {
            "row": row,
            "landsdel": row.landsdel,
            "tree": tree,
            "nodes": nodes,
            "unreachable": trees.unreachable(tree),
            "problems": problems,
            "can_edit": can_edit,
            "forwards": ForwardTo.choices,
            "json": json.dumps(row.data, ensure_ascii=False, indent=1),
        },
        status=400 if problems else 200,
    )


def _date(raw: str, default: dt.date) -> dt.date:
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        return default
    return value if dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31) else default


@login_required
def steering(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = access.access_steering(request.user, slug)
    today = timezone.localdate()
    first = _date(request.GET.get("fra", ""), dt.date(today.year, 1, 1))
    last = _date(request.GET.get("til", ""), today)
    if last < first or (last - first).days > 3 * 366:
        messages.error(request, "Vælg en periode på højst tre år, hvor slutdatoen ikke ligger før startdatoen.")
        first, last = dt.date(today.year, 1, 1), today
    return render(
        request,
        "telesupport/steering.html",
        {"landsdel": landsdel, "data": selectors.steering_data(landsdel, first, last)},
    )
