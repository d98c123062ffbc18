"""Every page and endpoint that takes an id, tried with the id of another township's record by
people of 河西乡: each answers 404 (or 403 for an admin page) and nothing changes.

A new route with an id fails `test_every_route_with_an_id_is_tried` until it is added here.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver

from bihuan.campaigns.models import Campaign, Requirement
from bihuan.campaigns.services import (
    CampaignSpec,
    RequirementSpec,
    campaign_create,
    requirement_add,
)
from bihuan.duties.models import DutyAssignment, DutyEntry
from bihuan.fieldwork.models import Visit
from bihuan.fieldwork.services import VisitSpec, visit_create
from bihuan.ledger.models import ExtensionRequest, ImportBatch, Measure, MeasureEvent, Problem
from bihuan.ledger.services import extension_request, progress_post
from bihuan.ledger.tests.workbooks import ledger_xlsx
from bihuan.materials.models import Material
from bihuan.materials.services import material_upload
from bihuan.materials.tests.materials_texts import ANALYSIS
from bihuan.notify.models import Notification
from bihuan.notify.services import urge
from bihuan.org.models import ApiToken, Role
from bihuan.org.services import user_create
from bihuan.rankings.periods import parse_period
from bihuan.rankings.services import ranking_publish
from bihuan.streamlining.models import Document
from bihuan.streamlining.services import document_register
from bihuan.supervision import services as supervision
from bihuan.supervision.models import PartnerPart, SupervisionExtensionRequest, SupervisionItem
from bihuan.workflow.models import LightCutoffs

# (route, method, object key): every route of the site that takes an id of a business record.
PAGES = [
    ("ledger/problems/{problem}/", "get"),
    ("ledger/problems/{problem}/assign/", "post"),
    ("ledger/problems/{problem}/measures/", "post"),
    ("ledger/measures/{measure}/progress/", "post"),
    ("ledger/measures/{measure}/edit/", "post"),
    ("ledger/measures/{measure}/extension/", "post"),
    ("ledger/measures/{measure}/submit/", "post"),
    ("ledger/measures/{measure}/cancel/", "post"),
    ("ledger/extensions/{extension}/decide/", "post"),
    ("ledger/evidence/{evidence}/", "get"),
    ("ledger/import/{batch}/", "get"),
    ("ledger/import/{batch}/units/", "post"),
    ("ledger/import/{batch}/people/", "post"),
    ("ledger/import/{batch}/commit/", "post"),
    ("ledger/import/{batch}/discard/", "post"),
    ("materials/{material}/", "get"),
    ("materials/{material}/review/", "post"),
    ("materials/{material}/confirm/", "post"),
    ("materials/{material}/file/", "get"),
    ("materials/{material}/dupcheck/", "post"),
    ("materials/{material}/dupcheck/{match}/", "get"),
    ("notify/{notification}/read/", "post"),
    ("notify/urge/ledger.measure/{measure}/", "post"),
    ("supervision/{item}/", "get"),
    ("supervision/{item}/progress/", "post"),
    ("supervision/{item}/extension/", "post"),
    ("supervision/{item}/acknowledge/", "post"),
    ("supervision/{item}/cancel/", "post"),
    ("supervision/{item}/partners/{part}/acknowledge/", "post"),
    ("supervision/{item}/partners/{part}/report/", "post"),
    ("supervision/{item}/partners/{part}/waive/", "post"),
    ("supervision/extensions/{item_extension}/decide/", "post"),
    ("campaigns/{campaign}/", "get"),
    ("campaigns/{campaign}/requirements/", "post"),
    ("campaigns/{campaign}/urge/", "post"),
    ("fieldwork/{visit}/", "get"),
    ("streamlining/documents/{document}/file/", "get"),
    ("supervision/extensions/{item_extension}/review/", "post"),
    ("supervision/evidence/{item_evidence}/", "get"),
    ("duties/approvals/{duty_check}/decide/", "post"),
    ("rankings/{ranking}/", "get"),
    ("rankings/{ranking}/notice/", "post"),
    ("rankings/campaign/{campaign}/summary/", "get"),
    ("rankings/campaign/{campaign}/summary/", "post"),
    ("rankings/campaign/{campaign}/summary/annex.xlsx", "get"),
    ("campaigns/{campaign}/edit/", "get"),
    ("campaigns/{campaign}/stages/", "post"),
    ("campaigns/{campaign}/stages/{stage}/", "post"),
    ("campaigns/{campaign}/stages/{stage}/delete/", "post"),
    ("campaigns/{campaign}/requirements/{requirement}/", "get"),
    ("campaigns/{campaign}/requirements/{requirement}/delete/", "post"),
    ("fieldwork/{visit}/edit/", "get"),
    ("fieldwork/{visit}/delete/", "post"),
]
API = [
    ("api/problems/{problem}", "get", None),
    ("api/problems/{problem}/assign", "post", {}),
    (
        "api/problems/{problem}/measures",
        "post",
        {"text": "加一条", "owner_unit": "{hexi}", "deadline": "2030-01-01"},
    ),
    ("api/measures/{measure}", "get", None),
    ("api/measures/{measure}/transitions", "post", {"action": "submit", "comment": ""}),
    ("api/measures/{measure}/progress", "post", "form"),
    ("api/measures/{measure}/extensions", "post", {"new_deadline": "2030-01-01", "reason": "x"}),
    ("api/evidence/{evidence}", "get", None),
    ("api/extensions/{extension}/decision", "post", {"approve": True, "comment": ""}),
    ("api/measures/{measure}/urge", "post", {"message": "x"}),
    ("api/notifications/{notification}/read", "post", {}),
    ("api/supervision/items/{item}", "get", None),
    ("api/supervision/items/{item}/transitions", "post", {"action": "acknowledge", "comment": ""}),
    ("api/supervision/items/{item}/progress", "post", {"text": "x"}),
    ("api/supervision/items/{item}/partners/{part}/acknowledge", "post", {}),
    ("api/supervision/items/{item}/partners/{part}/report", "post", {"text": "x"}),
    ("api/supervision/items/{item}/partners/{part}/waive", "post", {"reason": "x"}),
    (
        "api/supervision/items/{item}/extensions",
        "post",
        {"new_deadline": "2030-01-01", "reason": "x"},
    ),
    ("api/supervision/extensions/{item_extension}/decision", "post", {"approve": True}),
    ("api/campaigns/{campaign}", "get", None),
    ("api/campaigns/{campaign}/status", "get", None),
    ("api/campaigns/{campaign}/summary", "get", None),
    ("api/campaigns/{campaign}/urge", "post", {"message": "x"}),
    (
        "api/campaigns/{campaign}/requirements",
        "post",
        {"stage": "{stage}", "activity": "study", "per": "unit", "due_on": "2030-01-01"},
    ),
    ("api/visits/{visit}", "get", None),
    ("api/streamlining/documents/{document}/file", "get", None),
    ("api/supervision/extensions/{item_extension}/review", "post", {"approve": True}),
    ("api/supervision/items/{item}/progress/files", "post", "form"),
    ("api/supervision/items/{item}/urge", "post", {"message": "x"}),
    ("api/supervision/evidence/{item_evidence}", "get", None),
    ("api/duties/checks/{duty_check}/decision", "post", {"approve": True}),
    ("api/duties/assign", "post", {"supervision_item": "{duty_item}", "duty": "unlisted"}),
    ("api/rankings/{ranking}", "get", None),
    (
        "api/campaigns/{campaign}/stages",
        "post",
        {"name": "x", "starts_on": "2030-01-01", "ends_on": "2030-01-02"},
    ),
    ("api/campaigns/{campaign}/stages/{stage}", "get", None),
    ("api/campaigns/{campaign}/requirements/{requirement}", "get", None),
]
# Admin pages: their ids are accounts, units and settings, guarded by role, not by scope.
ADMIN_ROUTES = {
    "accounts/admin/users/<int:pk>/active/",
    "accounts/security/users/<int:pk>/password/",
    "accounts/security/users/<int:pk>/totp/",
    "ledger/categories/<int:pk>/active/",
    "materials/library/<int:pk>/",
    "materials/library/<int:pk>/remove/",
    "calendar/<int:year>/",
    "calendar/days/<int:pk>/delete/",
    "notify/channels/<int:pk>/active/",
    "notify/channels/<int:pk>/test/",
    "notify/deliveries/<int:pk>/retry/",
    "duties/entries/<int:pk>/edit/",
    "duties/entries/<int:pk>/active/",
    "api/duties/entries/<entry_id>",
    "api/duties/entries/<entry_id>/active",
}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _shape(route: str) -> str:
    """`ledger/problems/{problem}/` and `ledger/problems/<int:pk>/` look the same here."""
    import re

    return re.sub(r"<[^>]+>|\{[^}]+\}", "*", route)


def test_every_route_with_an_id_is_tried():
    tried = {_shape(route) for route, *_ in PAGES + API}
    tried |= {"ledger/measures/*/*/", "notify/urge/*/*/", "supervision/*/*/"}
    routes = {
        _shape(route)
        for route in _routes(get_resolver().url_patterns)
        if ("<" in route or "{" in route) and route not in ADMIN_ROUTES
    }
    assert routes <= tried, f"routes with an id nobody tries: {sorted(routes - tried)}"


@pytest.fixture
def records(world, make_problem, now, calendar):
    """One record of each kind in 城关镇, with an evidence file and a pending extension."""
    problem = make_problem()
    measure = problem.measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)
    progress = progress_post(
        measure=measure,
        by=world.li,
        now=now,
        text="已公示",
        files=[SimpleUploadedFile("公示.pdf", b"%PDF-1.4 proof", content_type="application/pdf")],
    )
    extension = extension_request(
        measure=measure,
        by=world.li,
        now=now,
        new_deadline=measure.deadline + dt.timedelta(days=10),
        reason="资金未到位",
    )
    from bihuan.ledger.import_files import import_upload

    batch = import_upload(
        data=ledger_xlsx(),
        filename="台账.xlsx",
        by=world.qian,
        now=now,
        unit=world.chengguan,
        source="self",
        category=world.category,
    )
    material_upload(  # an earlier copy, for the material's 查重 to find
        data=ANALYSIS.encode(),
        filename="副本.txt",
        kind="analysis",
        author=world.qian,
        by=world.qian,
        now=now,
    )
    material = material_upload(
        data=ANALYSIS.encode(),
        filename="材料.txt",
        kind="analysis",
        author=world.sun,
        by=world.sun,
        now=now,
    )
    urge(items=[measure], by=world.zhou, now=now, message="请抓紧")
    notification = Notification.objects.get(recipient=world.li)
    item = supervision.item_create(
        spec=supervision.ItemSpec(
            source="instruction",
            title="背街小巷整治",
            owner_unit=world.chengguan,
            partner_units=(world.dongguan,),
            deadline=measure.deadline,
        ),
        by=world.zhou,
        now=now,
        calendar=calendar,
        assign=True,
    )
    item_extension = supervision.extension_request(
        item=item, by=world.li, now=now, new_deadline=dt.date(2030, 1, 1), reason="资金未到位"
    )
    supervision.item_transition(
        item=item, action="acknowledge", by=world.li, now=now, calendar=calendar
    )
    item_progress = supervision.progress_post(
        item=item,
        by=world.li,
        now=now,
        text="已清运",
        files=[SimpleUploadedFile("现场.pdf", b"%PDF-1.4 proof", content_type="application/pdf")],
    )
    # A task for 东关村 outside its duty list, waiting for 准入审批.
    DutyEntry.objects.create(
        level="village", kind="autonomy", name="村民自治章程修订", created_at=now, updated_at=now
    )
    duty_item = supervision.item_create(
        spec=supervision.ItemSpec(
            source="instruction",
            title="入户统计",
            owner_unit=world.dongguan,
            deadline=measure.deadline,
        ),
        by=world.zhou,
        now=now,
        calendar=calendar,
        assign=True,
        duty="unlisted",
    )
    # A campaign of 城关镇 for 东关村 with a requirement; a visit and a document of 城关镇.
    campaign = campaign_create(
        spec=CampaignSpec(
            name="城关镇作风整顿",
            organiser=world.chengguan,
            units=(world.dongguan,),
            starts_on=now.date(),
            ends_on=now.date() + dt.timedelta(days=60),
        ),
        by=world.qian,
        now=now,
    )
    requirement_add(
        stage=campaign.stages.first(),
        spec=RequirementSpec("study", "unit", due_on=now.date() + dt.timedelta(days=5)),
        by=world.qian,
        now=now,
    )
    visit = visit_create(
        spec=VisitSpec(
            unit=world.chengguan,
            people=(world.sun,),
            starts_on=now.date(),
            ends_on=now.date(),
            days=1,
            place_unit=world.dongguan,
        ),
        by=world.sun,
        now=now,
    )
    document = document_register(
        unit=world.chengguan,
        number="城发〔2024〕1号",
        title="",
        issued_on=now.date(),
        data="关于精简会议的通知".encode(),
        filename="通知.txt",
        by=world.li,
        now=now,
    )
    return {
        "campaign": campaign.pk,
        "stage": campaign.stages.first().pk,
        "visit": visit.pk,
        "document": document.pk,
        "item": item.pk,
        "part": item.partner_parts.get().pk,
        "item_extension": item_extension.pk,
        "item_evidence": item_progress.evidence.get().pk,
        "duty_item": duty_item.pk,
        "duty_check": DutyAssignment.objects.get(supervision_item=duty_item).pk,
        "problem": problem.pk,
        "measure": measure.pk,
        "evidence": progress.evidence.get().pk,
        "extension": extension.pk,
        "batch": batch.pk,
        "material": material.pk,
        "match": material.dupchecks.get().matches.get().pk,
        "notification": notification.pk,
        "ranking": ranking_publish(
            by=world.qian,
            period=parse_period("2024-09"),
            parent=world.chengguan,
            kind="village",
            cutoffs=LightCutoffs(now=now, calendar=calendar),
            now=now,
        ).pk,
        "requirement": Requirement.objects.get().pk,
    }


@pytest.fixture
def outsiders(world):
    """河西乡's handler, and a supervisor-and-leader of 河西乡 with every business power there."""
    zheng = user_create(
        username="zheng",
        name="郑书记",
        unit=world.hexi,
        roles=[Role.SUPERVISOR, Role.LEADER],
        password="Hexi#2024pass",
        must_change_password=False,
    )
    return [world.wang, zheng]


def _snapshot():
    return (
        list(Problem.objects.values_list("pk", "description")),
        list(Measure.objects.values_list("pk", "state", "version", "deadline", "text")),
        MeasureEvent.objects.count(),
        list(ExtensionRequest.objects.values_list("pk", "state")),
        list(ImportBatch.objects.values_list("pk", "state")),
        list(Material.objects.values_list("pk", "state")),
        list(Notification.objects.values_list("pk", "read_at")),
        list(SupervisionItem.objects.values_list("pk", "state", "version", "deadline")),
        list(PartnerPart.objects.values_list("pk", "state", "version")),
        list(Campaign.objects.values_list("pk", "name")),
        Requirement.objects.count(),
        list(Visit.objects.values_list("pk", "households")),
        list(Document.objects.values_list("pk", "number")),
        list(SupervisionExtensionRequest.objects.values_list("pk", "state", "reviewed_at")),
        list(DutyAssignment.objects.values_list("pk", "state")),
    )


def test_another_townships_ids_are_not_found_on_any_page(client, records, outsiders):
    before = _snapshot()
    absent = dict.fromkeys(records, 999_999)
    for user in outsiders:
        client.force_login(user)
        for route, method in PAGES:
            send = getattr(client, method)
            response = send("/" + route.format(**records), {"comment": "x", "text": "x"})
            where = f"{user} {method} {route}"
            if response.status_code == 403:
                # Refused for the role whatever the id (an import page for a clerk): no leak.
                absent_id = send("/" + route.format(**absent), {"comment": "x"})
                assert absent_id.status_code == 403, where
            else:
                assert response.status_code == 404, f"{where}: {response.status_code}"
    assert _snapshot() == before


def test_another_townships_ids_are_not_found_in_the_api(client, records, outsiders, world, now):
    before = _snapshot()
    for user in outsiders:
        headers = {"Authorization": f"Bearer {ApiToken.issue(user=user, now=now)}"}
        for route, method, body in API:
            url = "/" + route.format(**records)
            if method == "get":
                response = client.get(url, headers=headers)
            elif body == "form":
                response = client.post(url, {"text": "进展"}, headers=headers)
            else:
                ids = {**records, "hexi": world.hexi.pk}
                payload = {
                    key: ids.get(str(value).strip("{}"), value) for key, value in body.items()
                }
                response = client.post(
                    url, payload, content_type="application/json", headers=headers
                )
            assert response.status_code == 404, f"{user} {method} {url}: {response.status_code}"
    assert _snapshot() == before
