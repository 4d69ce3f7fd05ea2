from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from samvirke.audit.models import AuditEntry
from samvirke.knowledge.actions import do_load_knowledge
from samvirke.knowledge.models import ExampleQuestion, Guide, GuideRevision, GuideVariant, ServiceInfo, Topic


def test_loading_creates_topics_guides_examples_variants_and_service_info(fellesskab: object) -> None:
    counts = do_load_knowledge(None)
    assert counts["topics"] == Topic.objects.count() == 52
    assert Guide.objects.count() == 52
    assert ExampleQuestion.objects.count() >= 52 * 8
    assert GuideVariant.objects.filter(is_demo=True).count() == 34
    assert ServiceInfo.objects.count() == 17
    assert GuideRevision.objects.count() == 52 + 34
    assert AuditEntry.objects.filter(action="knowledge.loaded").exists()


@pytest.mark.slow
def test_loading_again_changes_nothing_and_keeps_an_editors_changes(fellesskab: object) -> None:
    do_load_knowledge(None)
    Guide.objects.filter(topic_id="passport").update(body="## Kort svar\nRedigeret.\n")
    out = StringIO()
    call_command("load_guides", stdout=out)
    assert "0 nye emner, 0 nye guides, 0 nye eksempelspørgsmål, 0 nye varianter" in out.getvalue()
    assert Guide.objects.get(topic_id="passport").body == "## Kort svar\nRedigeret.\n"
