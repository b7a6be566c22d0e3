"""Background jobs of the culture app (found by Celery's autodiscovery), by part."""

from xuanchuan.culture.tasks_works import *  # noqa: F403
