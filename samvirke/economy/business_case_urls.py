"""Business-case pages (seed 004). Included from economy/urls.py under /oekonomi/business-cases/."""

from django.urls import URLPattern, path

from samvirke.economy.views import business_cases as views

urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="business_cases"),
    path("ny/", views.case_import, name="business_case_import"),
    path("skabelon.xlsx", views.excel_template, name="business_case_template"),
    path("portefoelje/<int:code>/", views.portfolio, name="business_case_portfolio"),
    path("<int:pk>/", views.case_detail, name="business_case"),
    path("<int:pk>/rediger/", views.case_edit, name="business_case_edit"),
    path("<int:pk>/tabel/", views.replace_lines, name="business_case_lines"),
    path("<int:pk>/status/", views.set_status, name="business_case_status"),
    path("<int:pk>/slet/", views.delete_case, name="business_case_delete"),
    path("<int:pk>/risici/", views.add_risk, name="business_case_add_risk"),
    path("<int:pk>/risici/<int:item_pk>/slet/", views.delete_risk, name="business_case_delete_risk"),
    path("<int:pk>/kpi/", views.add_kpi, name="business_case_add_kpi"),
    path("<int:pk>/kpi/<int:item_pk>/slet/", views.delete_kpi, name="business_case_delete_kpi"),
    path("<int:pk>/tidsplan/", views.add_milestone, name="business_case_add_milestone"),
    path("<int:pk>/tidsplan/<int:item_pk>/slet/", views.delete_milestone, name="business_case_delete_milestone"),
    path("<int:pk>/scenarier/", views.save_scenario, name="business_case_save_scenario"),
    path("<int:pk>/scenarier/<int:item_pk>/slet/", views.delete_scenario, name="business_case_delete_scenario"),
    path("<int:pk>/eksport.xlsx", views.export_xlsx, name="business_case_xlsx"),
    path("<int:pk>/eksport.json", views.export_json, name="business_case_json"),
]
