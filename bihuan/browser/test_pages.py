"""The loop, the import preview, a material, the dashboard and a phone, in a real browser."""

import datetime as dt

import pytest
from django.utils import timezone

from bihuan.ledger.models import Measure, Problem
from bihuan.ledger.tests.workbooks import ledger_xlsx
from bihuan.materials.tests.materials_texts import ANALYSIS
from bihuan.workflow.states import State

pytestmark = pytest.mark.browser


def submit(page, selector: str) -> None:
    """Click a button that posts a form and wait until the answer page has loaded.

    Without the wait the next click can land on the old page and cancel the post in flight, or the
    test reads the database before the server has written.
    """
    # "commit": the answer has arrived and replaced the page; its subresources may still load.
    with page.expect_navigation(wait_until="commit", timeout=30_000):
        page.click(selector)
    page.wait_for_load_state("domcontentloaded")


def click_action(page, action: str) -> None:
    """Open a measure's collapsed form for `action` and confirm it."""
    page.click(f"button[data-bs-target$='-{action}']")
    submit(page, f"form[action$='/{action}/'] button")


def test_the_closed_loop_from_registration_to_close(open_page, world):
    supervisor = open_page(world.zhou)
    supervisor.goto(f"{supervisor.base_url}/ledger/problems/new/")
    supervisor.select_option("#id_source", "supervision")
    supervisor.select_option("#id_category", str(world.category.pk))
    supervisor.select_option("#id_unit", str(world.chengguan.pk))
    supervisor.fill("#id_description", "便民服务中心午间无人值守")
    supervisor.fill("#id_measures-0-text", "实行午间轮班值守")
    supervisor.select_option("#id_measures-0-owner_unit", str(world.chengguan.pk))
    due = timezone.localdate() + dt.timedelta(days=30)
    supervisor.fill("#id_measures-0-deadline", due.isoformat())
    submit(supervisor, "form button.btn-danger")
    submit(supervisor, "text=交办全部待交办措施")
    measure = Measure.objects.get(text="实行午间轮班值守")
    assert measure.state == State.PENDING

    clerk = open_page(world.li)
    clerk.goto(f"{clerk.base_url}/ledger/problems/{measure.problem_id}/")
    click_action(clerk, "acknowledge")
    clerk.click("button[data-bs-target$='-progress']")
    clerk.fill("textarea[name=text]", "已排出十月值班表并公示")
    submit(clerk, "text=提交进展")
    click_action(clerk, "submit")
    supervisor.reload()
    click_action(supervisor, "close")

    measure.refresh_from_db()
    assert measure.state == State.CLOSED
    assert measure.progress_updates.get().text == "已排出十月值班表并公示"


def test_excel_import_shows_a_preview_then_commits(open_page, world, tmp_path):
    workbook = tmp_path / "城关镇整改台账.xlsx"
    workbook.write_bytes(ledger_xlsx())
    page = open_page(world.zhou)

    page.goto(f"{page.base_url}/ledger/import/")
    page.set_input_files("#id_file", str(workbook))
    page.select_option("#id_unit", str(world.chengguan.pk))
    submit(page, "text=上传并预览")

    assert page.locator("#import-rows tbody tr").count() == 3
    assert Problem.objects.count() == 0
    submit(page, "text=确认导入")
    page.wait_for_selector(".alert-success")
    assert Measure.objects.count() == 3


def test_a_material_goes_from_upload_to_confirmed_ledger_rows(open_page, world, tmp_path):
    material = tmp_path / "对照检查材料.txt"
    material.write_bytes(ANALYSIS.encode("gb18030"))
    page = open_page(world.sun)

    page.goto(f"{page.base_url}/materials/new/")
    page.set_input_files("#id_file", str(material))
    page.select_option("#id_kind", "analysis")
    submit(page, "text=上传并提取")
    page.wait_for_selector("text=清理后的全文")
    submit(page, "text=确认转入整改台账")
    page.wait_for_selector(".alert-success")

    assert Problem.objects.filter(person=world.sun).count() == 4


def test_the_dashboard_draws_its_charts(open_page, world, make_problem):
    make_problem()
    page = open_page(world.zhao)

    page.goto(f"{page.base_url}/dashboard/")

    page.wait_for_selector("canvas")
    assert page.locator("canvas").count() >= 2


# Where ECharts drew a figure: the page point of `value` on the category at `index`.
FIGURE_POINT = """([id, value, index]) => {
    const element = document.getElementById(id);
    const [x, y] = echarts.getInstanceByDom(element).convertToPixel({seriesIndex: 0}, [value, index]);
    const box = element.getBoundingClientRect();
    return [box.left + x, box.top + y];
}"""


# ECharts marks a chart's zrender as animating until every transition has ended.
FIGURES_SETTLED = """() => Array.from(document.querySelectorAll('.chart'), element =>
    echarts.getInstanceByDom(element)).every(chart => chart && !chart.getZr().animation._running)"""


CANVAS_RIGHTS = (
    "Array.from(document.querySelectorAll('.chart canvas'), c => c.getBoundingClientRect().right)"
)


def test_a_chart_leads_to_the_ledger_rows_it_counts(open_page, world, make_problem, calendar, now):
    make_problem(description="会议室空调长明")
    make_problem(description="村务公开不及时").measures.get().assign(
        by=world.zhou, now=now, calendar=calendar
    )
    page = open_page(world.zhou)
    page.goto(f"{page.base_url}/dashboard/")
    # Every chart drawn, the ones fetched after the page too.
    page.wait_for_selector("#chart-trend canvas")
    assert page.locator(".chart canvas").count() == 6

    # The charts fetched after the page resize the ones above while they settle, so the click
    # waits for the network to go quiet and then for the charts' own animation to end.
    page.wait_for_load_state("networkidle")
    page.wait_for_function(FIGURES_SETTLED)
    # The states run 待交办, 待签收, …: the middle of the one 待签收 bar.
    x, y = page.evaluate(FIGURE_POINT, ["chart-states", 0.5, 1])
    with page.expect_navigation():
        page.mouse.click(x, y)

    assert page.url.endswith("/ledger/?state=pending")
    assert "村务公开不及时" in page.locator("#ledger-table").inner_text()
    assert "会议室空调长明" not in page.locator("#ledger-table").inner_text()


def test_the_dashboard_fits_a_phone_and_prints_its_tables(open_page, world, make_problem):
    make_problem()
    page = open_page(world.li, width=390, height=844)

    page.goto(f"{page.base_url}/dashboard/")
    page.wait_for_selector("#chart-trend canvas")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    rights = page.evaluate(CANVAS_RIGHTS)
    assert rights and max(rights) <= 390
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert page.locator("details.chart-figures:not([open])").count() == 0
    assert page.locator(".chart").first.is_hidden()
    assert page.locator("#chart-trend-figures table").is_visible()


def test_the_charts_follow_the_window_when_it_narrows(open_page, world, make_problem):
    make_problem()
    page = open_page(world.zhao)
    page.goto(f"{page.base_url}/dashboard/")
    page.wait_for_selector("#chart-trend canvas")

    page.set_viewport_size({"width": 390, "height": 844})

    # The script redraws a tenth of a second after the last resize; polled from here, because
    # Playwright's own waiting evaluates a string, which the Content-Security-Policy refuses.
    for _ in range(50):
        page.wait_for_timeout(100)
        if max(page.evaluate(CANVAS_RIGHTS)) <= 390:
            break
    assert max(page.evaluate(CANVAS_RIGHTS)) <= 390
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("path", ["/", "/ledger/", "/materials/"])
def test_a_phone_shows_pages_without_sideways_scrolling(open_page, world, make_problem, path):
    make_problem()
    page = open_page(world.li, width=390, height=844)

    page.goto(f"{page.base_url}{path}")

    assert page.locator(".navbar-toggler").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
