"""The civility app's figures (section 三), declared by its parts' modules."""

from xuanchuan.civility import metrics_problems, metrics_standards, metrics_tickets  # noqa: F401 (they register themselves)
