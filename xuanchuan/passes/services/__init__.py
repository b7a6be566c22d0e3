"""Every state change of the pass system: applications, decisions, signing, revocation,
re-issue, key rotation, checkpoint verification and the exit/entry log.

Views, the API, the household import, the test-data command and the demo data all call these
functions, so permission checks, transactions and rules are the same for all of them. Modules:
``applications``, ``keys``, ``verification`` (the online check, with ``log``, its batched
log), ``events`` (what checkpoint devices record); who may do what is in ``passes.permissions``.
Only what is used outside this package is exported here.
"""

from xuanchuan.passes.services.applications import (
    IMPORT_COLUMNS,
    Application,
    apply,
    approve,
    import_households,
    refuse,
    reissue,
    revoke,
    send_pass_link,
)
from xuanchuan.passes.services.events import (
    CHECK_ONLY,
    CheckpointEvent,
    EventOutcome,
    record_event,
    record_events,
)
from xuanchuan.passes.services.keys import (
    claims_for,
    current_key,
    key_overlap_days,
    key_set,
    published_key,
    published_keys,
    reencrypt_keys,
    retire_key,
    revocation_list,
    revoked_ids,
    rotate_key,
)
from xuanchuan.passes.services.verification import check, verify_online, verify_signature

__all__ = [
    "CHECK_ONLY",
    "IMPORT_COLUMNS",
    "Application",
    "CheckpointEvent",
    "EventOutcome",
    "apply",
    "approve",
    "check",
    "claims_for",
    "current_key",
    "import_households",
    "key_overlap_days",
    "key_set",
    "published_key",
    "published_keys",
    "record_event",
    "record_events",
    "reencrypt_keys",
    "refuse",
    "reissue",
    "retire_key",
    "revocation_list",
    "revoked_ids",
    "revoke",
    "rotate_key",
    "send_pass_link",
    "verify_online",
    "verify_signature",
]
