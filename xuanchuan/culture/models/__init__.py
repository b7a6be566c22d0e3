"""The culture app's models, by part: events, series and venues (``events``); associations,
competitions and local-product campaigns (``groups``); calls for works and the submitted works
(``works``); holiday tourism (``tourism``)."""

from xuanchuan.culture.models.events import (
    Event,
    EventKind,
    EventLink,
    EventPhoto,
    EventStatus,
    Series,
    Venue,
    VenueKind,
)
from xuanchuan.culture.models.groups import (
    Association,
    AssociationMember,
    AssociationStatus,
    Competition,
    Contestant,
    ProductCampaign,
    ProductVideo,
    Round,
    Score,
)
from xuanchuan.culture.models.tourism import Holiday, HolidayPeriod, Source, TourismStat
from xuanchuan.culture.models.works import CallForWorks, CallStatus, Submission, SubmissionImage, SubmissionStatus

__all__ = [
    "Association",
    "AssociationMember",
    "AssociationStatus",
    "CallForWorks",
    "CallStatus",
    "Competition",
    "Contestant",
    "Event",
    "EventKind",
    "EventLink",
    "EventPhoto",
    "EventStatus",
    "Holiday",
    "HolidayPeriod",
    "ProductCampaign",
    "ProductVideo",
    "Round",
    "Score",
    "Series",
    "Source",
    "Submission",
    "SubmissionImage",
    "SubmissionStatus",
    "TourismStat",
    "Venue",
    "VenueKind",
]
