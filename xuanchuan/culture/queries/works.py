"""Reads of the works part. Staff reads take the user and read only through ``visible_to(user)``;
the public reads (phone pages) give only what residents may see: published calls, accepted works
of calls whose exhibition is open, and a submission's status by its reference."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionImage, SubmissionStatus


def calls(user: Any) -> QuerySet:
    """Calls in scope with their counts: works received, pending, accepted."""
    return (
        CallForWorks.objects.visible_to(user)
        .select_related("unit")
        .annotate(
            received=Count("works", distinct=True),
            pending=Count("works", filter=Q(works__status=SubmissionStatus.PENDING), distinct=True),
            accepted=Count("works", filter=Q(works__status=SubmissionStatus.ACCEPTED), distinct=True),
        )
    )


def submissions(user: Any) -> QuerySet:
    """Works submitted to the calls in scope, with their call, unit and images."""
    return (
        Submission.objects.visible_to(user)
        .select_related("call", "call__unit", "decided_by")
        .annotate(image_count=Count("images", distinct=True))
    )


def pending(user: Any) -> QuerySet:
    """Works waiting for review, in scope (the to-do)."""
    return Submission.objects.visible_to(user).filter(status=SubmissionStatus.PENDING)


def images_of(submission: Submission, user: Any) -> list[SubmissionImage]:
    return list(SubmissionImage.objects.visible_to(user).filter(submission=submission))


def with_first_image(queryset: QuerySet) -> QuerySet:
    """Prefetch each work's images (the queue shows the first as a thumbnail)."""
    return queryset.prefetch_related(Prefetch("images", queryset=SubmissionImage.objects.order_by("order", "pk")))


# --- Public -------------------------------------------------------------------------------------


def public_calls() -> QuerySet:
    """Published calls (taking works, about to, or closed) — never drafts."""
    # scoping: allowed — a published call is public by its nature (the phone pages).
    return CallForWorks.objects.exclude(status=CallStatus.DRAFT).select_related("unit")


def open_calls() -> list[CallForWorks]:
    """Calls taking works now or opening later, soonest closing first."""
    now = timezone.now()
    return list(public_calls().filter(status=CallStatus.OPEN, closes_at__gt=now).order_by("closes_at", "pk"))


def exhibitions() -> list[CallForWorks]:
    """Calls whose online exhibition is open, with the number of works shown."""
    return list(
        public_calls()
        .filter(exhibition_open=True)
        .annotate(shown=Count("works", filter=Q(works__status=SubmissionStatus.ACCEPTED)))
        .order_by("-closes_at", "-pk")
    )


def exhibition(pk: int) -> CallForWorks | None:
    return public_calls().filter(pk=pk, exhibition_open=True).first()


def shown_works(call: CallForWorks) -> QuerySet:
    """The accepted works of ``call`` (whose exhibition the caller checked is open)."""
    # scoping: allowed — accepted works of an open exhibition are public.
    return (
        Submission.objects.filter(call=call, status=SubmissionStatus.ACCEPTED)
        .order_by("decided_at", "pk")
        .prefetch_related(Prefetch("images", queryset=SubmissionImage.objects.order_by("order", "pk")))
    )


def shown_image(image_pk: int) -> SubmissionImage | None:
    """An image the public may see: of an accepted work of a call whose exhibition is open."""
    # scoping: allowed — the conditions are exactly what makes an image public.
    return (
        SubmissionImage.objects.filter(
            pk=image_pk,
            submission__status=SubmissionStatus.ACCEPTED,
            submission__call__exhibition_open=True,
        )
        .exclude(submission__call__status=CallStatus.DRAFT)
        .first()
    )


def by_reference(reference: str) -> Submission | None:
    """The work a resident looks up with the reference they were shown (its status only is used)."""
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > 10 or not reference.isalnum():
        return None
    # scoping: allowed — the reference is the submitter's own credential; only the status is shown.
    return Submission.objects.filter(reference=reference).select_related("call").first()
