"""The assistant's pages for staff: its model's training state (polled by the knowledge pages while it learns)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samvirke.assistant import access
from samvirke.assistant.selectors import model_status


@login_required
@require_GET
def model_status_fragment(request: HttpRequest) -> HttpResponse:
    access.require_see_model_status(request.user)
    return render(request, "assistant/_model_status.html", {"status": model_status(), "include_script": False})
