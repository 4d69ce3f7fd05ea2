from django.urls import URLPattern, URLResolver, include, path

from samvirke.economy.views import economy as views

# The shift-hour balance ("vagttimer/", economy:balance) sets these numbers against staffing's rotas, which economy
# must not import: it lives in samvirke/reports, and samvirke/urls.py adds it to this namespace.
app_name = "economy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("<int:year>.xlsx", views.economy_xlsx, name="economy_xlsx"),
    path("model/<int:year>/", views.settings_edit, name="settings"),
    path("scenarier/", views.scenarios, name="scenarios"),
    path("fakturaer/", views.invoices, name="invoices"),
    path("fakturaer/koer/", views.run_invoicing, name="run_invoicing"),
    path("fakturaer/<int:pk>/", views.invoice_detail, name="invoice"),
    path("fakturaer/<int:year>.xlsx", views.invoices_xlsx, name="invoices_xlsx"),
    path("kontaktpris/", views.contact_cost, name="contact_cost"),
    path("pilotbevilling/", views.pilot_grants, name="grants"),
    path("business-cases/", include("samvirke.economy.business_case_urls")),
]
