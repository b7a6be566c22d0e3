"""Background jobs of the publishing app's external part (see ``tasks.py``): one attempt of a
post, and the sweep (every minute, ``CELERY_BEAT_SCHEDULE``) running the retries and polls
that are due."""

from __future__ import annotations

from celery import shared_task

__all__ = ["publish_external_post", "sweep_external_posts"]


@shared_task(name="xuanchuan.publishing.tasks.publish_external_post")
def publish_external_post(post_id: int) -> str:
    from xuanchuan.publishing.services import external

    post = external.attempt(post_id)
    return post.status if post else "missing"


@shared_task(name="xuanchuan.publishing.tasks.sweep_external_posts")
def sweep_external_posts() -> dict[str, int]:
    from xuanchuan.publishing.services import external

    return external.sweep()
