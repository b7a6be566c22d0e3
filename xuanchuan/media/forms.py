"""Forms of the outreach records: input checks only; the rules are in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.views import style_form
from xuanchuan.media.models import Account, Campaign, Level, MaterialKind, Platform, ProgrammeKind
from xuanchuan.media.services import MAX_QUANTITY, ArticleData
from xuanchuan.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UPLOAD_ACCEPT = {"accept": "image/png,image/jpeg,image/gif,application/pdf"}


class UserForm(forms.Form):
    """A form that knows who fills it: the unit chosen is one they see (their own by default)."""

    unit = forms.ModelChoiceField(label=_("填报单位"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if "unit" in self.fields:
            self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
            if user.unit_id and not self.is_bound:
                self.fields["unit"].initial = user.unit_id
        style_form(self)


class ArticleForm(UserForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    outlet = forms.CharField(label=_("媒体"), max_length=100, help_text=_("如人民日报、省日报、市电视台"))
    level = forms.ChoiceField(label=_("媒体级别"), choices=Level.choices)
    published_on = forms.DateField(label=_("刊播日期"), widget=DATE)
    url = forms.URLField(label=_("链接"), max_length=500, required=False, assume_scheme="https")
    topic = forms.CharField(
        label=_("主题"), max_length=100, required=False, help_text=_("如脱贫攻坚、乡村振兴、新时代文明实践")
    )
    campaign = forms.ModelChoiceField(
        label=_("宣传活动"), queryset=Campaign.objects.none(), required=False, empty_label=_("（无）")
    )
    clipping = forms.FileField(
        label=_("剪报（图片或 PDF）"), required=False, widget=forms.ClearableFileInput(attrs=UPLOAD_ACCEPT)
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)

    def article_data(self) -> ArticleData:
        data = self.cleaned_data
        return ArticleData(
            title=data["title"],
            outlet=data["outlet"],
            level=data["level"],
            published_on=data["published_on"],
            url=data.get("url") or "",
            topic=data.get("topic") or "",
            campaign=data.get("campaign"),
        )


class ProgrammeForm(UserForm):
    name = forms.CharField(label=_("栏目名称"), max_length=100, help_text=_("如《纵横×》"))
    station = forms.CharField(label=_("电台/电视台"), max_length=100)
    channel = forms.CharField(label=_("频道"), max_length=100, required=False, help_text=_("如综合频道"))
    kind = forms.ChoiceField(label=_("类型"), choices=ProgrammeKind.choices)


class EpisodeForm(forms.Form):
    aired_on = forms.DateField(label=_("播出日期"), widget=DATE)
    title = forms.CharField(label=_("本期标题"), max_length=200)
    duration_minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=1, max_value=1440, required=False)
    url = forms.URLField(label=_("链接"), max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class AccountForm(UserForm):
    name = forms.CharField(label=_("账号名称"), max_length=100)
    platform = forms.ChoiceField(label=_("平台"), choices=Platform.choices)


class ImportForm(forms.Form):
    account = forms.ModelChoiceField(label=_("账号"), queryset=Account.objects.none())
    file = forms.FileField(
        label=_("后台导出文件"),
        help_text=_("微信公众号“已通知内容”或“用户增长”、抖音“作品数据”，原样上传（.xls、.xlsx 或 .csv）"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user).select_related("unit")
        style_form(self)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=100, help_text=_("如新冠肺炎疫情防控宣传"))
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    description = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class MaterialForm(UserForm):
    kind = forms.ChoiceField(label=_("类别"), choices=MaterialKind.choices)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=MAX_QUANTITY)
    placed_on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False, help_text=_("如投放地点"))
    photo = forms.FileField(
        label=_("照片（可选）"), required=False, widget=forms.ClearableFileInput(attrs=UPLOAD_ACCEPT)
    )
