"""The JSON API (django-ninja). OpenAPI schema at /api/openapi.json, docs at /api/docs (served offline)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.security import django_auth

from samvirke.consent.api import router as consent_router
from samvirke.contact.api import contact_router, telephony_router
from samvirke.core.middleware import busy_response, is_busy_database
from samvirke.directory.api import router as directory_router

api = NinjaAPI(
    title="Samvirke API",
    version="1",
    description="Samvirkes API for fællesskabets medlemmer, sekretariat og systemer.",
    auth=django_auth,
    urls_namespace="api",
    # Swagger UI from django-ninja's static files ("ninja" in INSTALLED_APPS), and no validator badge, which
    # would send the schema to validator.swagger.io: the documentation works without internet.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Ingen adgang."}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Findes ikke."}, status=404)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Log ind først."}, status=401)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: Any) -> HttpResponse:
    return api.create_response(request, {"detail": "Ugyldige data.", "errors": exc.errors}, status=422)


@api.exception_handler(OperationalError)
def busy_database(request: HttpRequest, exc: Exception) -> HttpResponse:
    if is_busy_database(exc):
        return busy_response(request)
    raise exc


api.add_router("/directory/", directory_router)
api.add_router("/telephony/", telephony_router)
api.add_router("/contact/", contact_router)
api.add_router("/telecare/", consent_router)
