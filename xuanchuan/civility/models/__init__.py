"""The civility app's models: the assessment standard and places, responsibility (包街包帮),
problems and tickets (交办单) with their history and 督办 notices, Open311 clients."""

from xuanchuan.civility.models.cases import (
    OPEN_TICKET_STATUSES,
    EventKind,
    Photo,
    PhotoStage,
    Problem,
    ProblemSource,
    ProblemStatus,
    SupervisionNotice,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from xuanchuan.civility.models.open311 import ApiClient
from xuanchuan.civility.models.responsibility import Assignment, AssignmentKind
from xuanchuan.civility.models.standards import Category, Place, PlaceKind, Severity, Standard

__all__ = [
    "OPEN_TICKET_STATUSES",
    "ApiClient",
    "Assignment",
    "AssignmentKind",
    "Category",
    "EventKind",
    "Photo",
    "PhotoStage",
    "Place",
    "PlaceKind",
    "Problem",
    "ProblemSource",
    "ProblemStatus",
    "Severity",
    "Standard",
    "SupervisionNotice",
    "Ticket",
    "TicketEvent",
    "TicketStatus",
]
