"""A campaign as the period of a ranking or a report (rankings.periods): key `campaign-12`,
labelled with its name, from its first to its last day, counting only the problems tagged with
it. Registered when the app is ready, so rankings never imports the campaign model."""

import re

from bihuan.errors import DomainError
from bihuan.rankings.periods import Period, register_parser

from .models import Campaign

KEY = re.compile(r"campaign-(\d+)", re.IGNORECASE)
OPTIONS_SHOWN = 20


def campaigns_seen(user):
    """The campaigns `user` sees; every one for the command line (user None)."""
    return Campaign.objects.all() if user is None else Campaign.objects.visible_to(user)


def _not_found(text: str, field: str) -> DomainError:
    # The same words for a campaign that does not exist and one out of scope: a guessed id
    # learns nothing.
    return DomainError(f"找不到专项活动“{text}”，或该活动不在您的管理范围内。", field=field)


def campaign_named(text: str, user, *, field: str = "campaign") -> Campaign | None:
    """The one campaign the user sees with exactly this name; None if there is none."""
    named = list(campaigns_seen(user).filter(name=text.strip())[:2])
    if len(named) > 1:
        raise DomainError(
            f"有多个名为“{text.strip()}”的专项活动，请用编号指定（如 campaign-{named[0].pk}）。",
            field=field,
        )
    return named[0] if named else None


def campaign_find(text: str, user, *, field: str = "campaign") -> Campaign:
    """The campaign `text` names: `campaign-12`, `12`, or its exact name; one the user sees."""
    text = (text or "").strip()
    match = KEY.fullmatch(text) or re.fullmatch(r"(\d+)", text)
    if match:
        found = campaigns_seen(user).filter(pk=int(match[1])).first()
    else:
        found = campaign_named(text, user, field=field) if text else None
    if found is None:
        raise _not_found(text, field)
    return found


def campaign_period(campaign: Campaign) -> Period:
    return Period(
        key=f"campaign-{campaign.pk}",
        kind="campaign",
        label=campaign.name,
        start=campaign.starts_on,
        end=campaign.ends_on,
        campaign_id=campaign.pk,
    )


def parse_campaign_period(text: str, user) -> Period | None:
    """`campaign-12`, or a campaign's exact name; None for a text that names no campaign."""
    if KEY.fullmatch(text):
        return campaign_period(campaign_find(text, user, field="period"))
    campaign = campaign_named(text, user, field="period") if text else None
    return campaign_period(campaign) if campaign is not None else None


def campaign_period_options(user) -> list[tuple[str, str]]:
    latest = campaigns_seen(user).order_by("-starts_on", "-pk")[:OPTIONS_SHOWN]
    return [(f"campaign-{c.pk}", f"{c.name}（专项活动）") for c in latest]


def register() -> None:
    register_parser(
        parse_campaign_period,
        format_hint="专项活动写作 campaign-12 或活动全称",
        options=campaign_period_options,
    )
