"""Background jobs of the publishing app (found by Celery's autodiscovery), by part."""

from xuanchuan.publishing.tasks_external import *  # noqa: F403
from xuanchuan.publishing.tasks_review import *  # noqa: F403
