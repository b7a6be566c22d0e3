"""The publishing app's models, by topic: outlets and columns, publications and their versions,
the three-step review, what staff keep for proofreading, and the publishing log."""

from xuanchuan.publishing.models.external import OutletPost, PostStatus
from xuanchuan.publishing.models.lexicons import (
    AllowedFinding,
    AllowScope,
    EntryKind,
    EntrySource,
    LexiconEntry,
    NameTitle,
    Severity,
)
from xuanchuan.publishing.models.outlets import Column, Outlet, OutletKind, OutletStatus
from xuanchuan.publishing.models.publications import (
    STEP_HOURS,
    STEP_ORDER,
    Attachment,
    AttachmentKind,
    Publication,
    PublicationStatus,
    PublicationVersion,
    ReviewStep,
    Urgency,
    step_due,
)
from xuanchuan.publishing.models.review import (
    ReviewNotice,
    ReviewRound,
    ReviewTask,
    RoundStatus,
    TaskStatus,
)

__all__ = [
    "STEP_HOURS",
    "STEP_ORDER",
    "AllowScope",
    "AllowedFinding",
    "Attachment",
    "AttachmentKind",
    "Column",
    "EntryKind",
    "EntrySource",
    "LexiconEntry",
    "NameTitle",
    "Outlet",
    "OutletKind",
    "OutletPost",
    "OutletStatus",
    "PostStatus",
    "Publication",
    "PublicationStatus",
    "PublicationVersion",
    "ReviewNotice",
    "ReviewRound",
    "ReviewStep",
    "ReviewTask",
    "RoundStatus",
    "Severity",
    "TaskStatus",
    "Urgency",
    "step_due",
]
