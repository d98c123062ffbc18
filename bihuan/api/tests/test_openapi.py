import re

from django.test import Client


def test_the_openapi_schema_is_served_and_lists_every_path(db):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        "/api/me",
        "/api/problems",
        "/api/problems/{problem_id}",
        "/api/problems/{problem_id}/assign",
        "/api/problems/{problem_id}/measures",
        "/api/measures",
        "/api/measures/{measure_id}",
        "/api/measures/{measure_id}/transitions",
        "/api/measures/{measure_id}/progress",
        "/api/measures/{measure_id}/extensions",
        "/api/extensions/{extension_id}/decision",
        "/api/evidence/{evidence_id}",
        "/api/supervision/items",
        "/api/supervision/items/{item_id}",
        "/api/supervision/items/{item_id}/transitions",
        "/api/supervision/items/{item_id}/progress",
        "/api/supervision/items/{item_id}/partners/{part_id}/acknowledge",
        "/api/supervision/items/{item_id}/partners/{part_id}/report",
        "/api/supervision/items/{item_id}/partners/{part_id}/waive",
        "/api/supervision/items/{item_id}/extensions",
        "/api/supervision/extensions/{extension_id}/decision",
        "/api/supervision/figures",
        "/api/supervision/escalations",
        "/api/supervision/items/{item_id}/progress/files",
        "/api/supervision/evidence/{evidence_id}",
        "/api/supervision/items/{item_id}/urge",
        "/api/supervision/items/urge",
        "/api/supervision/extensions/{extension_id}/review",
        "/api/duties/entries",
        "/api/duties/entries/{entry_id}",
        "/api/duties/entries/{entry_id}/active",
        "/api/duties/entries/import",
        "/api/duties/assign",
        "/api/duties/checks",
        "/api/duties/checks/{check_id}/decision",
        "/api/duties/report",
        "/api/rankings",
        "/api/rankings/draft",
        "/api/rankings/{ranking_id}",
        "/api/measures/{measure_id}/urge",
        "/api/measures/urge",
        "/api/notifications",
        "/api/notifications/{notification_id}/read",
        "/api/notifications/read-all",
        "/api/campaigns",
        "/api/campaigns/{campaign_id}",
        "/api/campaigns/{campaign_id}/requirements",
        "/api/campaigns/{campaign_id}/status",
        "/api/campaigns/{campaign_id}/summary",
        "/api/campaigns/{campaign_id}/urge",
        "/api/fieldwork/coverage",
        "/api/fieldwork/households",
        "/api/fieldwork/progress",
        "/api/fieldwork/targets",
        "/api/streamlining/documents",
        "/api/streamlining/documents/{document_id}/file",
        "/api/streamlining/figures",
        "/api/streamlining/meetings",
        "/api/streamlining/targets",
        "/api/visits",
        "/api/visits/{visit_id}",
        "/api/campaigns/{campaign_id}/stages",
        "/api/campaigns/{campaign_id}/stages/{stage_id}",
        "/api/campaigns/{campaign_id}/requirements/{requirement_id}",
    }
    assert set(schema["paths"]["/api/problems"]) == {"get", "post"}
    assert set(schema["paths"]["/api/visits/{visit_id}"]) == {"get", "patch", "delete"}
    assert {scheme["type"] for scheme in schema["components"]["securitySchemes"].values()} == {
        "http",
        "apiKey",
    }


def test_the_schema_documents_the_transition_actions(db):
    schema = Client().get("/api/openapi.json").json()

    action = schema["components"]["schemas"]["TransitionIn"]["properties"]["action"]
    assert action["enum"] == ["assign", "acknowledge", "submit", "return", "close", "cancel"]


def test_the_docs_page_loads_nothing_from_the_internet(db):
    page = Client().get("/api/docs")
    assert page.status_code == 200
    assert "/static/ninja/swagger-ui" in page.text
    assert not re.search(r"""(src|href)=["']https?://""", page.text)
