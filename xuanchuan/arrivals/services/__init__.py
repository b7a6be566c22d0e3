"""Every state change of 来返人员登记, behind the service contract of ``core/services.py``: the
acting staff member as ``by=``, the permission first (``permissions.py``), the writes in one
transaction with the guarded rows locked, ``ServiceError`` for a refused rule.

``registrations`` (registering, the grid, the registrant's corrections and held corrections,
recovering a receipt), ``classification`` (risk areas and re-classification), ``follow_up``
(check-ins, completion, merging, the export log). Views, the grid and the demo data all call
these functions, so they behave the same. Public actions (registering, correcting through the
receipt) have no ``by``: the receipt code is the person's key.
"""

from xuanchuan.arrivals.services.classification import (
    INLINE_RECLASSIFY_LIMIT,
    RISK_AREAS,
    Reclassification,
    apply_classification,
    candidates,
    delete_risk_area,
    reclassify,
    risk_areas,
    save_risk_area,
)
from xuanchuan.arrivals.services.follow_up import (
    complete_follow_up,
    export_query,
    log_export,
    merge_registrations,
    missed_days,
    record_check_in,
)
from xuanchuan.arrivals.services.registrations import (
    PERSON_FIELDS,
    Correction,
    Submission,
    by_receipt,
    correct_registration,
    day_key,
    decide_correction,
    dedupe_key,
    recomputed_day_key,
    recomputed_dedupe_key,
    register_arrival,
    register_many,
    resend_receipt,
    set_keys,
)
from xuanchuan.core.services import ServiceError

__all__ = [
    "INLINE_RECLASSIFY_LIMIT",
    "PERSON_FIELDS",
    "RISK_AREAS",
    "Correction",
    "Reclassification",
    "ServiceError",
    "Submission",
    "apply_classification",
    "by_receipt",
    "candidates",
    "complete_follow_up",
    "correct_registration",
    "day_key",
    "decide_correction",
    "dedupe_key",
    "delete_risk_area",
    "export_query",
    "log_export",
    "merge_registrations",
    "missed_days",
    "reclassify",
    "recomputed_day_key",
    "recomputed_dedupe_key",
    "record_check_in",
    "register_arrival",
    "register_many",
    "resend_receipt",
    "risk_areas",
    "save_risk_area",
    "set_keys",
]
