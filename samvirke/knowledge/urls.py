from django.urls import path

from samvirke.knowledge import views

app_name = "knowledge"
# The first path segments under /vidensbase/ other than <topic_id> are reserved topic ids (lib/editing.py
# RESERVED_TOPIC_IDS; a test keeps the two in step). The guide search ("soeg/") and the missing-answers report
# ("rapporter/manglende-svar/") are the assistant's pages in this namespace: samvirke/knowledge_base_urls.py joins
# them to these (the knowledge base does not import the assistant).
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.new_topic, name="new_topic"),
    path("rapporter/kvalitet/", views.quality_report, name="quality_report"),
    path("krise/", views.crisis_notices, name="crisis_notices"),
    path("krise/<int:notice_id>/", views.crisis_notice_edit, name="crisis_notice_edit"),
    path("krise/<int:notice_id>/udgiv/", views.crisis_notice_publish, name="crisis_notice_publish"),
    path("<slug:topic_id>/", views.topic_detail, name="topic"),
    path("<slug:topic_id>/udgiv/", views.publish_guide, name="publish"),
    path("<slug:topic_id>/kladde/kasser/", views.discard_draft, name="discard_draft"),
    path("<slug:topic_id>/afpublicer/", views.unpublish_guide, name="unpublish"),
    path("<slug:topic_id>/eksempler/", views.add_example, name="add_example"),
    path("<slug:topic_id>/eksempler/<int:example_id>/slet/", views.delete_example, name="delete_example"),
    path("<slug:topic_id>/variant/<int:code>/", views.variant_detail, name="variant"),
    path("<slug:topic_id>/revisioner/<int:revision_id>/", views.revision_detail, name="revision"),
]
