import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from bihuan.audit.models import AuditEntry
from bihuan.officedoc.tests.checks import assert_colophon, assert_gbt9704
from bihuan.org.models import UnitKind
from bihuan.rankings.models import Ranking, ScoringWeights

from .conftest import SEPTEMBER

QUERY = {"period": SEPTEMBER, "kind": UnitKind.TOWNSHIP}


@pytest.fixture
def frozen_time(monkeypatch, october_8):
    """The pages read the clock once; here it reads 8 October 2024."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: october_8)
    return october_8


@pytest.fixture
def zhou(client, world):
    client.force_login(world.zhou)
    return client


def _publish(client, world):
    return client.post(reverse("rankings:publish"), QUERY | {"parent": world.county.pk})


def test_the_draft_shows_each_score_with_its_parts_and_links_to_its_rows(
    zhou, world, september, frozen_time
):
    response = zhou.get(reverse("rankings:index"), QUERY | {"parent": world.county.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert "草稿" in page and "发布排名" in page
    table = page[page.index('id="ranking"') :]
    assert table.index("河西乡") < table.index("城关镇")
    assert "73.53" in page and "54.88" in page
    assert "23.53/23.53分" in page  # 河西乡's 签收 part, out of its share
    overdue_link = f"{reverse('rankings:rows')}?period={SEPTEMBER}&amp;unit={world.chengguan.pk}&amp;figure=overdue"
    assert overdue_link in page


def test_the_rows_behind_a_number_are_listed(zhou, world, september, frozen_time):
    response = zhou.get(
        reverse("rankings:rows"),
        {"period": SEPTEMBER, "unit": world.chengguan.pk, "figure": "overdue"},
    )

    assert response.status_code == 200
    assert [m.pk for m in response.context["measures"]] == [september.b.pk]
    assert response.context["items"] == []


def test_another_townships_rows_are_not_found(client, world, september, frozen_time):
    client.force_login(world.wang)

    response = client.get(
        reverse("rankings:rows"),
        {"period": SEPTEMBER, "unit": world.chengguan.pk, "figure": "overdue"},
    )

    assert response.status_code == 404


def test_publishing_from_the_page_then_generating_a_criticism_notice(
    zhou, world, september, frozen_time
):
    response = _publish(zhou, world)
    ranking = Ranking.objects.get()
    assert response.url == ranking.get_absolute_url()

    page = zhou.get(
        reverse("rankings:notice", args=[ranking.pk]), {"kind": "criticise", "count": 1}
    )
    form = page.context["form"]
    assert "城关镇等1个单位排名靠后" in form.initial["body"]
    assert (form.initial["mark"], form.initial["printer"]) == ("青山县", "青山县")
    data = {name: form.initial[name] for name in ("kind", "title", "recipients", "issuer", "mark")}
    data |= {
        "body": "现将有关情况通报如下。\n一、总体情况\n城关镇得分54.88分。",
        "date": "2024-10-08",
        "with_table": "on",
        "number": "青办通〔2024〕7号",
    }
    download = zhou.post(reverse("rankings:notice", args=[ranking.pk]), data)

    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert_gbt9704(
        document,
        title=data["title"],
        issuer="青山县",
        date_text="2024年10月8日",
        masthead=("青山县", "青办通〔2024〕7号"),
    )
    assert_colophon(document, printer="青山县", printed="2024年10月8日")
    assert "城关镇得分54.88分。" in [p.text for p in document.paragraphs]


def test_a_published_ranking_page_says_it_is_frozen(zhou, world, september, frozen_time):
    _publish(zhou, world)

    response = zhou.get(Ranking.objects.get().get_absolute_url())

    assert "已固定" in response.content.decode()
    assert "生成通报批评" in response.content.decode()


def test_the_ranking_downloads_as_a_workbook(zhou, world, september, frozen_time):
    response = zhou.get(reverse("rankings:export"), QUERY | {"parent": world.county.pk})

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["排名"].iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (1, "河西乡", "73.53"),
        (2, "城关镇", "54.88"),
    ]
    assert AuditEntry.objects.filter(action="export", object_type="rankings.ranking").exists()


def test_a_handler_may_look_but_not_publish(client, world, september, frozen_time):
    client.force_login(world.li)

    page = client.get(reverse("rankings:index"), {"period": SEPTEMBER})
    refused = client.post(
        reverse("rankings:publish"),
        {"period": SEPTEMBER, "parent": world.chengguan.pk, "kind": "village"},
    )

    assert page.status_code == 200
    assert "发布排名" not in page.content.decode()
    assert refused.status_code == 302
    assert not Ranking.objects.exists()


def test_the_report_page_shows_the_figures_and_writes_the_document_and_annex(
    zhou, world, september, frozen_time
):
    params = {"unit": world.chengguan.pk, "period": SEPTEMBER}
    page = zhou.get(reverse("rankings:report"), params)
    assert page.context["report"].counts.measures == 2
    # The closed measure is offered first as a typical case.
    assert page.context["cases"][0].pk == september.a.pk

    download = zhou.post(
        reverse("rankings:report"),
        params | {"recipients": "青山县", "issuer": "城关镇", "cases": [september.a.pk]},
    )
    annex = zhou.get(reverse("rankings:report_annex"), params)

    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert_gbt9704(
        document,
        title="城关镇关于2024年9月整改落实情况的报告",
        issuer="城关镇",
        date_text="2024年10月8日",
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(annex.streaming_content)))
    assert book.sheetnames == ["分类统计", "单位统计", "措施明细", "逾期措施", "退回记录"]


def test_another_townships_report_is_not_found(client, world, september, frozen_time):
    client.force_login(world.wang)
    params = {"unit": world.chengguan.pk, "period": SEPTEMBER}

    assert client.get(reverse("rankings:report"), params).status_code == 404
    assert client.post(reverse("rankings:report"), params).status_code == 404
    assert client.get(reverse("rankings:report_annex"), params).status_code == 404


def test_a_bad_period_is_explained(zhou, world):
    response = zhou.get(reverse("rankings:index"), {"period": "去年"})

    assert response.status_code == 400
    assert "月份写作 2026-11" in response.content.decode()


def test_the_system_admin_sets_the_weights(client, world):
    client.force_login(world.wu)
    data = {
        "acknowledge": "10",
        "feedback": "10",
        "on_time": "40",
        "closed": "30",
        "returned": "10",
    }
    data |= {"overdue_points": "2", "overdue_cap": "10"}

    response = client.post(reverse("rankings:weights"), data)

    assert response.status_code == 302
    assert str(ScoringWeights.current().on_time) == "40.00"


def test_the_weights_page_is_for_the_system_admin(zhou):
    assert zhou.get(reverse("rankings:weights")).status_code == 403


def test_an_admin_account_sees_no_rankings(client, world):
    client.force_login(world.wu)

    assert client.get(reverse("rankings:index")).status_code == 403
