"""The publishing app's figures (sections 二 and 六), declared by its parts' modules."""

from xuanchuan.publishing import metrics_outlets, metrics_review  # noqa: F401 (they register themselves)
