"""A campaign's problem list is the ledger filtered by the campaign (专项活动)."""

import pytest
from django.urls import reverse

from bihuan.ledger.models import Problem


@pytest.fixture
def tagged(world, make_problem, scoped_campaigns):
    found_in_campaign = make_problem(description="活动中查摆：窗口推诿扯皮")
    Problem.objects.filter(pk=found_in_campaign.pk).update(campaign=scoped_campaigns["county"])
    make_problem(description="日常督查发现：台账不全")
    return found_in_campaign


def test_the_ledger_lists_only_the_campaigns_problems(client, world, scoped_campaigns, tagged):
    client.force_login(world.zhou)
    page = client.get(reverse("ledger:list"), {"campaign": scoped_campaigns["county"].pk})
    assert page.status_code == 200
    assert "活动中查摆" in page.text
    assert "日常督查发现" not in page.text
    # The folded filters open when one of them is in use.
    assert 'id="ledger-more-filters" open' in page.text


def test_the_campaign_filter_offers_only_campaigns_the_user_sees(client, world, scoped_campaigns):
    client.force_login(world.li)
    page = client.get(reverse("ledger:list"))
    assert "作风革命·效能革命" in page.text
    assert "河西乡大讨论" not in page.text
    refused = client.get(reverse("ledger:list"), {"campaign": scoped_campaigns["hexi"].pk})
    assert "campaign" in refused.context["form"].errors


def test_the_problem_page_names_its_campaign_and_links_its_ledger(
    client, world, scoped_campaigns, tagged
):
    client.force_login(world.zhou)
    page = client.get(reverse("ledger:problem_detail", args=[tagged.pk]))
    campaign = scoped_campaigns["county"]
    assert reverse("campaigns:detail", args=[campaign.pk]) in page.text
    assert f"{reverse('ledger:list')}?campaign={campaign.pk}" in page.text
