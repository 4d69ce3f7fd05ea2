"""/vidensbase/: the "knowledge" URL namespace, joined here in the project's wiring from the knowledge base's own
pages and the assistant's pages that sit among them (the guide search and the missing-answers report ask the
assistant, which the knowledge base below it must not import). The assistant's come first: their first path
segments ("soeg", "rapporter") would otherwise be read as topic ids."""

from __future__ import annotations

from samvirke.assistant import staff_urls as assistant_staff_urls
from samvirke.knowledge import urls as knowledge_urls

app_name = "knowledge"
urlpatterns = [*assistant_staff_urls.knowledge_base_urlpatterns, *knowledge_urls.urlpatterns]
