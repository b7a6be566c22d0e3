"""Background jobs of the volunteers app (found by Celery's autodiscovery), by part."""

from xuanchuan.volunteers.tasks_activities import *  # noqa: F403
from xuanchuan.volunteers.tasks_attendance import *  # noqa: F403
from xuanchuan.volunteers.tasks_points import *  # noqa: F403
