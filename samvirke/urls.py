from typing import Any

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from samvirke.api import api
from samvirke.directory import views as directory_views
from samvirke.economy import urls as economy_urls
from samvirke.reports import urls as reports_urls

admin.site.site_header = "Samvirke – administration"
admin.site.site_title = "Samvirke"
admin.site.index_title = "Administration"


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on pages that link no icon (the admin, a PDF): the static file,
    served by whitenoise like every other."""

    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("samvirke/favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("", directory_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("samvirke.directory.urls")),
    # Economy's pages and, on its tabs, the reports that also read staffing (economy does not import reports).
    path("oekonomi/", include((economy_urls.urlpatterns + reports_urls.economy_urlpatterns, "economy"))),
    path("chat/", include("samvirke.contact.citizen_urls")),
    path("chat/", include("samvirke.assistant.urls")),
    path("assistent/", include("samvirke.assistant.staff_urls")),
    path("kontaktcenter/", include("samvirke.contact.urls")),
    path("bemanding/", include("samvirke.staffing.urls")),
    path("optagelse/", include("samvirke.onboarding.urls")),
    path("uddannelse/", include("samvirke.training.urls")),
    path("vidensbase/", include("samvirke.knowledge_base_urls")),
    path("beredskab/", include("samvirke.preparedness.urls")),
    # Kits and logistics (issue 16) before telecare's include, whose "<slug>/" would otherwise take "udstyr/".
    path("telemedicin/udstyr/", include("samvirke.kits.urls")),
    path("telemedicin/", include("samvirke.telecare.urls")),
    path("samtykke/", include("samvirke.consent.urls")),
    path("telesupport/", include("samvirke.telesupport.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "samvirke.directory.views.permission_denied"
handler404 = "samvirke.directory.views.page_not_found"
