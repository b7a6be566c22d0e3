"""Forms of 来返人员登记: ``public`` (the self-registration and receipt recovery), ``fields`` (what
the public form and the staff grid share) and ``staff`` (the grid, check-ins, risk areas, merging)."""

from xuanchuan.arrivals.forms.fields import COMMUNITIES, CommunityChoiceField, community_queryset
from xuanchuan.arrivals.forms.public import ArrivalForm

__all__ = ["COMMUNITIES", "ArrivalForm", "CommunityChoiceField", "community_queryset"]
