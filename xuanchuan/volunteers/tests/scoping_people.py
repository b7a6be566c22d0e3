"""The people part's records for the URL walk: a volunteer of 幸福社区 with service, training, an
award, an evaluation and a certificate issued by 幸福社区 — nothing of it may reach charlie (西城街道)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

PUBLIC_UNIT_LISTS = {
    "volunteers:join": "居民在线登记志愿者时按街道（乡镇）选择所在社区（村），单位名称是公开信息",
}

COURSE = "东城秘密急救培训"
HONOUR = "东城秘密优秀志愿者"
COMMENT = "东城秘密服务评价"
SKILLS = "东城秘密技能"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.volunteers.models import RecordSource, RecordStatus, ServiceRecord
    from xuanchuan.volunteers.services import people as services
    from xuanchuan.volunteers.services.identity import Person, enrol
    from xuanchuan.volunteers.tests.factories import id_number, make_activity, make_project, make_team

    dora = people["dora"]
    volunteer = enrol(
        Person(name="东城秘密志愿者", id_number=id_number(901), phone="13600000901", skills=SKILLS),
        unit=district.east_community,
        source="staff",
        by=dora,
        consented=True,
    ).volunteer
    activity = make_activity(
        make_project(make_team(district.east_community, name="东城秘密队"), title="东城秘密项目"),
        starts_at=timezone.now() - timedelta(days=2),
        title="东城秘密活动",
    )
    ServiceRecord.objects.create(
        unit=activity.unit,
        activity=activity,
        volunteer=volunteer,
        source=RecordSource.SCAN,
        status=RecordStatus.CONFIRMED,
        minutes=120,
        served_on=activity.starts_at.date(),
    )
    today = timezone.localdate()
    services.add_training(volunteer, course=COURSE, held_on=today, minutes=60, result="合格", by=dora)
    services.add_award(volunteer, honour=HONOUR, level="community", issuer="幸福社区", awarded_on=today, by=dora)
    services.add_evaluation(volunteer, rating=5, comment=COMMENT, by=dora)
    certificate = services.issue_certificate(
        volunteer, period_start=today - timedelta(days=30), period_end=today, by=dora
    )
    return [volunteer.number, COURSE, HONOUR, COMMENT, SKILLS, certificate.number, certificate.code]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.volunteers.models import Award, Certificate, Evaluation, Training, Volunteer

    volunteer = Volunteer.objects.filter(skills=SKILLS).first()
    if volunteer is None:
        return None
    certificate = Certificate.objects.filter(volunteer=volunteer).first()
    if route_name in (
        "volunteers:volunteer_detail",
        "volunteers:volunteer_edit",
        "volunteers:volunteer_record_xlsx",
        "volunteers:training_add",
        "volunteers:award_add",
        "volunteers:evaluation_add",
        "volunteers:certificate_issue",
    ):
        return [{"pk": volunteer.pk}, {"pk": volunteer.pk, "_method": "post"}]
    if route_name == "volunteers:training_delete":
        return [{"pk": Training.objects.get(course=COURSE).pk, "_method": "post"}]
    if route_name == "volunteers:award_delete":
        return [{"pk": Award.objects.get(honour=HONOUR).pk, "_method": "post"}]
    if route_name == "volunteers:evaluation_delete":
        return [{"pk": Evaluation.objects.get(comment=COMMENT).pk, "_method": "post"}]
    if route_name in (
        "volunteers:certificate_docx",
        "volunteers:certificate_pdf",
        "volunteers:certificate_revoke",
        "volunteers:m_certificate_docx",
        "volunteers:m_certificate_pdf",
    ):
        return [{"pk": certificate.pk}]
    if route_name == "volunteers:certificate_check":
        # The public check answers anyone who holds the code printed on the certificate (that is
        # its purpose); a code nobody was given answers 404.
        return [{"code": "not-a-code-0000"}]
    if route_name == "api:volunteers_volunteer_detail":
        return [{"volunteer_id": volunteer.pk}]
    if route_name == "api:volunteers_certificate_check":
        return [{"code": "not-a-code-0000"}]
    return None
