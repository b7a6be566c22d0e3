"""Reads of the outreach pages: each takes the user and reads only through ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum

from xuanchuan.media.models import MATERIAL_UNITS, Account, Campaign, Material, MaterialKind, Post
from xuanchuan.org.models import Unit


@dataclass
class CampaignRollup:
    """A campaign's material per unit and in total, as far as the viewer sees."""

    campaign: Campaign
    kinds: list[tuple[str, str, str]]  # (kind, label, measure unit)
    rows: list[tuple[Unit, list[int]]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    entries: int = 0


def campaign_rollup(user: Any, campaign: Campaign) -> CampaignRollup:
    """Per unit (the units that reported) and per kind: one grouped query and one for the units."""
    kinds = [(kind.value, str(kind.label), str(MATERIAL_UNITS[kind])) for kind in MaterialKind]
    rollup = CampaignRollup(campaign, kinds)
    grouped = (
        Material.objects.visible_to(user)
        .filter(campaign=campaign)
        .order_by()
        .values_list("unit_id", "kind")
        .annotate(total=Sum("quantity"), count=Count("pk"))
    )
    sums: dict[int, dict[str, int]] = {}
    for unit_id, kind, total, count in grouped:
        sums.setdefault(unit_id, {})[kind] = total
        rollup.entries += count
    units = Unit.objects.filter(pk__in=list(sums)).order_by("path")
    for unit in units:
        rollup.rows.append((unit, [sums[unit.pk].get(kind, 0) for kind, _label, _unit in kinds]))
    rollup.totals = [sum(values[index] for _unit, values in rollup.rows) for index in range(len(kinds))]
    return rollup


def account_rows(user: Any) -> list[Account]:
    """The accounts the user sees, each with its post count, total reads and last post."""
    return list(
        Account.objects.visible_to(user)
        .select_related("unit")
        .annotate(post_count=Count("posts"), read_total=Sum("posts__reads"))
        .order_by("platform", "unit__path", "name")
    )


def account_posts(user: Any, account: Account, limit: int = 50) -> list[Post]:
    return list(Post.objects.visible_to(user).filter(account=account).order_by("-published_at")[:limit])
