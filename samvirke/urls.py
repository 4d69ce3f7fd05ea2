from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samvirke.api import api
from samvirke.directory import views as directory_views

admin.site.site_header = "Samvirke – administration"
admin.site.site_title = "Samvirke"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", directory_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("samvirke.directory.urls")),
    path("oekonomi/", include("samvirke.economy.urls")),
    path("chat/", include("samvirke.contact.citizen_urls")),
    path("chat/", include("samvirke.assistant.urls")),
    path("assistent/", include("samvirke.assistant.staff_urls")),
    path("kontaktcenter/", include("samvirke.contact.urls")),
    path("bemanding/", include("samvirke.staffing.urls")),
    path("vidensbase/", include("samvirke.knowledge.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "samvirke.directory.views.permission_denied"
handler404 = "samvirke.directory.views.page_not_found"
