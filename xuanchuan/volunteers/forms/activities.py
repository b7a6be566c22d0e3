"""Forms of the activities part: input checks only (the rules are in ``services.activities``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import User
from xuanchuan.volunteers.models import Activity, Brand, PracticeSite, Project, Team
from xuanchuan.volunteers.services.activities import brands_offered, organiser_candidates

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_CAPACITY = 10_000


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class ProjectForm(forms.Form):
    """A project of a team in the user's scope for a year (this year by default)."""

    team = forms.ModelChoiceField(label=_("发布队伍"), queryset=Team.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("项目名称"), max_length=120)
    brand = forms.ModelChoiceField(label=_("品牌"), queryset=Brand.objects.none(), required=False)
    summary = forms.CharField(label=_("项目简介"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["team"].queryset = (
            Team.objects.visible_to(user)
            .filter(dissolved_on__isnull=True)
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        self.fields["team"].label_from_instance = lambda team: f"{team.name}（{team.unit.name}）"
        self.fields["brand"].queryset = brands_offered(user).order_by("name")
        self.fields["year"].initial = today.year


class ActivityForm(forms.Form):
    """An activity's time, place, places and requirements; the site among those in scope; the
    organiser among the staff of the project's unit (the creator by default)."""

    title = forms.CharField(label=_("活动名称"), max_length=120)
    place = forms.CharField(label=_("活动地点"), max_length=200)
    site = forms.ModelChoiceField(label=_("文明实践阵地"), queryset=PracticeSite.objects.none(), required=False)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=_datetime_input())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=_datetime_input())
    capacity = forms.IntegerField(label=_("招募人数"), min_value=1, max_value=MAX_CAPACITY)
    organiser = forms.ModelChoiceField(label=_("现场负责人"), queryset=User.objects.none(), required=False)
    requirements = forms.CharField(label=_("参加要求"), max_length=300, required=False)
    description = forms.CharField(
        label=_("活动内容"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, project: Project, activity: Activity | None = None, **kwargs: Any):
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": activity.title,
                "place": activity.place,
                "site": activity.site_id,
                "starts_at": timezone.localtime(activity.starts_at),
                "ends_at": timezone.localtime(activity.ends_at),
                "capacity": activity.capacity,
                "organiser": activity.organiser_id,
                "requirements": activity.requirements,
                "description": activity.description,
            }
        super().__init__(*args, **kwargs)
        if activity is None:
            self.fields["organiser"].initial = user.pk
        self.fields["site"].queryset = PracticeSite.objects.visible_to(user).filter(active=True).order_by("unit__path")
        chosen = Q(pk__in=organiser_candidates(project.unit.path).values("pk")) | Q(pk=user.pk)
        if activity is not None and activity.organiser_id:
            chosen |= Q(pk=activity.organiser_id)
        self.fields["organiser"].queryset = User.objects.filter(chosen).order_by("username")
        self.fields["organiser"].label_from_instance = lambda person: person.full_name or person.username
        self.fields["organiser"].help_text = _("不选则为填写人本人。")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("结束时间须晚于开始时间。"))
        return data


class ReasonForm(forms.Form):
    """Why staff cancel an activity or a volunteer's sign-up (told to the volunteers)."""

    reason = forms.CharField(label=_("取消原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
