from django.urls import path

from samvirke.assistant import staff_views

app_name = "assistant_staff"
urlpatterns = [
    path("status/", staff_views.model_status_fragment, name="model_status"),
]

# The assistant's pages among the knowledge base's, in its "knowledge" namespace under /vidensbase/ (joined in
# samvirke/knowledge_base_urls.py). Their first path segments are reserved topic ids (knowledge/lib/editing.py).
knowledge_base_urlpatterns = [
    path("soeg/", staff_views.guide_search, name="search"),
    path("rapporter/manglende-svar/", staff_views.missing_answers, name="missing_answers"),
]
