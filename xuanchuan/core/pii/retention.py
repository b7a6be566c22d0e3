"""Retention periods of personal data and the purge that enforces them.

Each app registers, in its ``AppConfig.ready()`` (or at the end of its ``models.py``), how long
its personal data is kept::

    register_retention(
        Arrival, days=lambda: settings.ARRIVAL_RETENTION_DAYS, date_field="registered_at",
        action="erase", fields=("name", "id_number", "phone"), label="来返人员登记",
    )

``purge_expired()`` — run daily by the Celery task ``purge_expired_personal_data`` and by
``manage.py purge_personal_data`` — deletes, or erases the personal fields (and their blind
indexes) of, every row whose ``date_field`` is older than the period. Work goes in batches, each
in its own transaction; every rule leaves a log line and a ``RetentionPurge`` row, dry runs too.
Labels are Chinese display names and the keys of the result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii.fields import blind_index_fields, encrypted_fields

logger = logging.getLogger("xuanchuan.core.retention")
DEFAULT_BATCH_SIZE = 500


class RetentionAction(models.TextChoices):
    """What happens to a row whose retention period has ended."""

    DELETE = "delete", _("删除记录")
    ERASE = "erase", _("抹除个人信息")


class RetentionError(Exception):
    """One or more retention rules failed; the others have run."""


@dataclass(frozen=True)
class RetentionRule:
    """How long the rows of one model (or of a filtered part of it) keep their personal data."""

    model: type[models.Model]
    days: int | Callable[[], int]
    date_field: str
    action: str
    fields: tuple[str, ...]
    filter: models.Q | None
    label: str
    # Rows whose date is not a field (a competition's last round): ``select(cutoff)`` gives the
    # rows past it; the rule's filter and the "still holds something" condition apply after it.
    select: Callable[[datetime], models.QuerySet] | None = None

    def retention_days(self) -> int:
        days = int(self.days() if callable(self.days) else self.days)
        if days < 1:
            raise ValueError(f"保留期限“{self.label}”应至少为 1 天，当前为 {days}")
        return days

    def cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.retention_days())

    def expired(self, cutoff: datetime) -> models.QuerySet:
        """Rows older than ``cutoff`` that still hold something to purge."""
        if self.select is not None:
            queryset = self.select(cutoff)
        else:
            field = _date_field(self.model, self.date_field)
            bound: date | datetime = cutoff
            if not isinstance(field, models.DateTimeField):
                bound = timezone.localdate(cutoff)
            queryset = self.model._base_manager.filter(**{f"{self.date_field}__lt": bound})
        if self.filter is not None:
            queryset = queryset.filter(self.filter)
        if self.action == RetentionAction.ERASE:
            not_erased = models.Q()
            for name in self.fields:
                not_erased |= models.Q(**{f"{name}__isnull": False}) & ~models.Q(**{name: ""})
            queryset = queryset.filter(not_erased)
        return queryset

    def erased_values(self) -> dict[str, str]:
        values = dict.fromkeys(self.fields, "")
        for index in blind_index_fields(self.model):
            if index.source in self.fields:
                values[index.name] = ""
        return values


@dataclass(frozen=True)
class PurgeResult:
    """What one rule did (or, on a dry run, would do)."""

    rule: RetentionRule
    cutoff: datetime
    count: int
    dry_run: bool
    error: str = ""


_RULES: dict[str, RetentionRule] = {}


def _date_field(model: type[models.Model], path: str) -> models.Field:
    """The field ``path`` names, following relations (``call__closes_at``)."""
    *relations, name = path.split(LOOKUP_SEP)
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def register_retention(
    model: type[models.Model],
    *,
    days: int | Callable[[], int],
    date_field: str = "",
    action: str,
    fields: tuple[str, ...] = (),
    filter: models.Q | None = None,
    label: str,
    select: Callable[[datetime], models.QuerySet] | None = None,
) -> RetentionRule:
    """Register (or replace, by ``label``) a retention rule and return it.

    ``days`` may be a callable so the period can come from settings at purge time. ``erase``
    empties ``fields`` (every encrypted field of the model when empty) and their blind indexes
    and keeps the row, for records whose figures must survive; ``delete`` removes the row.

    The period runs from ``date_field``, a date or date-time of the row or of a row it points to
    (``call__closes_at``: a work's author is kept until its call closed). Where the date is not a
    field at all (a competition's end, its last round), ``select(cutoff)`` gives the rows whose
    date is before ``cutoff`` instead.
    """
    if action not in RetentionAction.values:
        raise ValueError(f"保留规则“{label}”的 action 应为 delete 或 erase，而不是 {action!r}")
    if select is None:
        try:
            date = _date_field(model, date_field)
        except (FieldDoesNotExist, AttributeError):
            date = None
        if not isinstance(date, models.DateField):
            raise ValueError(f"保留规则“{label}”的 date_field={date_field!r} 不是日期或时间字段")
    if action == RetentionAction.ERASE:
        fields = tuple(fields) or tuple(field.name for field in encrypted_fields(model))
        if not fields:
            raise ValueError(f"保留规则“{label}”要抹除个人信息，但 {model._meta.label} 没有加密字段")
        for name in fields:
            if not isinstance(model._meta.get_field(name), models.CharField | models.TextField):
                raise ValueError(f"保留规则“{label}”只能抹除文本字段，{name!r} 不是")
    rule = RetentionRule(model, days, date_field, str(action), tuple(fields), filter, str(label), select)
    _RULES[rule.label] = rule
    return rule


def unregister_retention(label: str) -> None:
    """Remove a rule (used by tests and by apps that replace a rule under a new label)."""
    _RULES.pop(label, None)


def retention_rules() -> list[RetentionRule]:
    """The registered rules, in registration order."""
    return list(_RULES.values())


def _delete_in_batches(rule: RetentionRule, queryset: models.QuerySet, batch_size: int) -> int:
    total = 0
    while True:
        with transaction.atomic():
            pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                return total
            _count, per_model = rule.model._base_manager.filter(pk__in=pks).delete()
        deleted = per_model.get(rule.model._meta.label, 0)
        total += deleted
        if deleted == 0:
            return total


def _erase_in_batches(rule: RetentionRule, queryset: models.QuerySet, batch_size: int) -> int:
    values = rule.erased_values()
    total = 0
    while True:
        with transaction.atomic():
            pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                return total
            changed = rule.model._base_manager.filter(pk__in=pks).update(**values)
        total += changed
        if changed == 0:
            return total


def _apply(rule: RetentionRule, now: datetime, dry_run: bool, batch_size: int) -> PurgeResult:
    cutoff = rule.cutoff(now)
    queryset = rule.expired(cutoff)
    if dry_run:
        count = queryset.count()
    elif rule.action == RetentionAction.DELETE:
        count = _delete_in_batches(rule, queryset, batch_size)
    else:
        count = _erase_in_batches(rule, queryset, batch_size)
    return PurgeResult(rule, cutoff, count, dry_run)


def _record(result: PurgeResult, now: datetime) -> None:
    from xuanchuan.core.models import RetentionPurge

    rule = result.rule
    logger.info(
        "personal-data retention: %s (%s) %s %d rows older than %s%s%s",
        rule.label,
        rule.model._meta.label,
        rule.action,
        result.count,
        result.cutoff.isoformat(),
        " [dry run]" if result.dry_run else "",
        f" — failed: {result.error}" if result.error else "",
    )
    RetentionPurge.objects.create(
        label=rule.label,
        model_label=rule.model._meta.label,
        action=rule.action,
        cutoff=result.cutoff,
        count=result.count,
        dry_run=result.dry_run,
        error=result.error,
        ran_at=now,
    )


def run_retention(
    now: datetime | None = None, dry_run: bool = False, batch_size: int = DEFAULT_BATCH_SIZE
) -> list[PurgeResult]:
    """Apply every rule; a failing rule is logged and recorded, and the others still run."""
    now = now or timezone.now()
    results = []
    for rule in retention_rules():
        try:
            result = _apply(rule, now, dry_run, batch_size)
        except Exception as exc:  # one broken rule must not stop the purge of the rest
            logger.exception("personal-data retention rule %s failed", rule.label)
            result = PurgeResult(rule, now, 0, dry_run, error=f"{type(exc).__name__}: {exc}")
        _record(result, now)
        results.append(result)
    return results


def purge_expired(now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Purge everything past its retention period; ``{label: rows deleted or erased}``.

    Raises :class:`RetentionError` after all rules have run if any of them failed.
    """
    results = run_retention(now=now, dry_run=dry_run)
    failed = [result for result in results if result.error]
    if failed:
        raise RetentionError("；".join(f"{result.rule.label}：{result.error}" for result in failed))
    return {result.rule.label: result.count for result in results}
