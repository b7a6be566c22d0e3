"""Background jobs of the theory app (found by Celery's autodiscovery), by part."""

from xuanchuan.theory.tasks_classroom import *  # noqa: F403
