"""The people part's rules: registering (consent, under 14, one person one volunteer, a known ID
number never changes the record nor signs anyone in), sign-in codes (expiry, tries, one use,
resend limit, the same answer for unknown numbers), withdrawal and the retention purge, staff
entries, certificates (only the issuing unit's confirmed records, frozen minutes, numbering,
revocation)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from xuanchuan.arrivals.tests.sms import RecordingGateway
from xuanchuan.core.pii import lookup
from xuanchuan.core.services import ServiceError
from xuanchuan.volunteers.models import RecordStatus, Volunteer, VolunteerSource, VolunteerStatus
from xuanchuan.volunteers.services import people as services
from xuanchuan.volunteers.services.identity import Person
from xuanchuan.volunteers.tests.factories import id_number, make_activity, make_project, make_team, make_volunteer
from xuanchuan.volunteers.tests.test_people_support import RECORDING, last_code, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms(settings):
    cache.clear()
    RecordingGateway.sent.clear()
    settings.VOLUNTEERS_SMS_BACKEND = RECORDING
    yield
    cache.clear()


def person(n: int = 7, *, born: str = "19900101", phone: str = "") -> Person:
    return Person(name="李华", id_number=id_number(n, born=born), phone=phone or f"136{n:08d}", address="幸福路2号")


# --- Registering ---------------------------------------------------------------------------------


def test_register_self_creates_a_volunteer_with_consent(district):
    volunteer = services.register_self(person(), unit=district.east_community, consented=True)
    assert volunteer.source == VolunteerSource.SELF
    assert volunteer.consent_version and volunteer.consented_at
    assert volunteer.birth_year == 1990


def test_register_self_needs_consent(district):
    with pytest.raises(ServiceError, match="请先阅读并同意个人信息使用说明"):
        services.register_self(person(), unit=district.east_community, consented=False)
    assert not Volunteer.objects.exists()


def test_a_child_under_14_is_sent_to_the_community_with_a_guardian(district):
    today = timezone.localdate()
    born = today.replace(year=today.year - 14) + timedelta(days=1)
    with pytest.raises(ServiceError, match="监护人陪同"):
        services.register_self(person(born=born.strftime("%Y%m%d")), unit=district.east_community, consented=True)
    fourteen = today.replace(year=today.year - 14) - timedelta(days=1)
    assert services.register_self(
        person(8, born=fourteen.strftime("%Y%m%d")), unit=district.east_community, consented=True
    )


def test_a_known_id_number_changes_nothing_and_says_sign_in(district):
    first = make_volunteer(district.east_community, 7, phone="13600000007")
    with pytest.raises(ServiceError, match="该身份证号已注册，请用登记的手机号接收验证码登录") as refused:
        services.register_self(person(7, phone="13999999999"), unit=district.west_community, consented=True)
    assert refused.value.code == "duplicate"
    first.refresh_from_db()
    assert first.phone == "13600000007"
    assert first.unit == district.east_community
    assert Volunteer.objects.count() == 1


def test_register_self_refuses_a_street_and_a_bad_id(district):
    with pytest.raises(ServiceError, match="社区"):
        services.register_self(person(), unit=district.east, consented=True)
    with pytest.raises(ServiceError):
        services.register_self(
            Person(name="x", id_number="110101199001011234", phone="13600000001"),
            unit=district.east_community,
            consented=True,
        )


# --- Sign-in codes ---------------------------------------------------------------------------------


def test_a_code_signs_in_once(district):
    volunteer = make_volunteer(district.east_community, 1, phone="13600000001")
    services.request_signin_code("13600000001")
    code = last_code("13600000001")
    assert services.signin_with_code("136 0000 0001", code) == [volunteer]
    with pytest.raises(ServiceError, match="验证码不正确或已失效"):
        services.signin_with_code("13600000001", code)


def test_unknown_numbers_get_the_same_answer_and_no_message(district):
    make_volunteer(district.east_community, 1, phone="13600000001")
    assert services.request_signin_code("13600000002") is None
    assert RecordingGateway.sent == []
    assert services.request_signin_code("13600000001") is None
    assert len(RecordingGateway.sent) == 1
    with pytest.raises(ServiceError, match="验证码不正确或已失效"):
        services.signin_with_code("13600000002", "123456")


def test_the_code_text_never_reaches_a_withdrawn_volunteer(district):
    volunteer = make_volunteer(district.east_community, 1, phone="13600000001")
    services.withdraw(volunteer=volunteer)
    services.request_signin_code("13600000001")
    assert RecordingGateway.sent == []


def test_resend_at_most_once_a_minute_for_any_number(district):
    make_volunteer(district.east_community, 1, phone="13600000001")
    services.request_signin_code("13600000001")
    for number in ("13600000001", "13600000009"):
        if number == "13600000009":
            services.request_signin_code(number)
        with pytest.raises(ServiceError, match="1分钟后"):
            services.request_signin_code(number)
    assert len(RecordingGateway.sent) == 1


def test_wrong_tries_use_up_the_code(district, settings):
    settings.VOLUNTEERS_SIGNIN_CODE_TRIES = 3
    make_volunteer(district.east_community, 1, phone="13600000001")
    services.request_signin_code("13600000001")
    code = last_code("13600000001")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):
        with pytest.raises(ServiceError, match="验证码不正确"):
            services.signin_with_code("13600000001", wrong)
    with pytest.raises(ServiceError, match="错误次数过多"):
        services.signin_with_code("13600000001", wrong)
    with pytest.raises(ServiceError, match="验证码不正确或已失效"):
        services.signin_with_code("13600000001", code)


def test_a_code_expires(district, monkeypatch):
    make_volunteer(district.east_community, 1, phone="13600000001")
    services.request_signin_code("13600000001")
    code = last_code("13600000001")
    slot = services._slot("signin", "13600000001")
    stored = cache.get(slot.key)
    assert stored is not None and code not in str(stored)  # kept hashed
    cache.delete(slot.key)  # what the cache does after VOLUNTEERS_SIGNIN_CODE_MINUTES
    with pytest.raises(ServiceError, match="验证码不正确或已失效"):
        services.signin_with_code("13600000001", code)


def test_the_code_is_stored_for_the_configured_minutes(district, settings, monkeypatch):
    settings.VOLUNTEERS_SIGNIN_CODE_MINUTES = 3
    seen = {}
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        seen[key] = timeout
        return real_set(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    make_volunteer(district.east_community, 1, phone="13600000001")
    services.request_signin_code("13600000001")
    assert seen[services._slot("signin", "13600000001").key] == 180


def test_a_shared_phone_signs_in_to_a_choice(district):
    a = make_volunteer(district.east_community, 1, phone="13600000001")
    b = make_volunteer(district.east_community, 2, phone="13600000001")
    services.request_signin_code("13600000001")
    assert services.signin_with_code("13600000001", last_code("13600000001")) == [a, b]


def test_phone_change_needs_the_code_sent_to_the_new_phone(district):
    volunteer = make_volunteer(district.east_community, 1, phone="13600000001")
    services.request_phone_change(volunteer=volunteer, new_phone="13600000099")
    assert RecordingGateway.sent[-1][0] == "13600000099"
    with pytest.raises(ServiceError):
        services.confirm_phone_change(
            volunteer=volunteer,
            new_phone="13600000099",
            code="000000" if last_code("13600000099") != "000000" else "111111",
        )
    services.confirm_phone_change(volunteer=volunteer, new_phone="13600000099", code=last_code("13600000099"))
    volunteer.refresh_from_db()
    assert volunteer.phone == "13600000099"
    assert Volunteer.objects.filter(**lookup(Volunteer, "phone", "13600000099")).exists()


# --- Withdrawal and retention -----------------------------------------------------------------------


def test_withdrawal_signs_out_and_personal_data_is_purged_later(district, settings):
    settings.VOLUNTEERS_RETENTION_DAYS = 30
    services.register_retention()
    activity = make_activity(make_project(make_team(district.east_community)))
    volunteers = [make_volunteer(district.east_community, n) for n in (1, 2, 3)]
    record(activity, volunteers[0], 90)
    for v in volunteers[:2]:
        services.withdraw(volunteer=v)
    withdrawn = Volunteer.objects.get(pk=volunteers[0].pk)
    assert withdrawn.status == VolunteerStatus.WITHDRAWN and withdrawn.session_generation == 1
    with pytest.raises(ServiceError, match="已注销"):
        services.withdraw(volunteer=withdrawn)
    call_command("purge_personal_data")
    assert Volunteer.objects.get(pk=volunteers[0].pk).name == "志愿者1"  # not yet: withdrawn today
    Volunteer.objects.filter(pk__in=[v.pk for v in volunteers[:2]]).update(
        withdrawn_at=timezone.now() - timedelta(days=31)
    )
    call_command("purge_personal_data")
    for v in volunteers[:2]:
        erased = Volunteer.objects.get(pk=v.pk)
        assert (erased.name, erased.id_number, erased.phone, erased.address) == ("", "", "", "")
        assert erased.id_number_index == "" and erased.phone_index == ""
    assert Volunteer.objects.get(pk=volunteers[2].pk).name == "志愿者3"
    assert volunteers[0].records.count() == 1  # the service stays for the figures
    # Erased, the person may register anew.
    again = services.register_self(
        Person(name="志愿者1", id_number=id_number(1), phone="13600000001"),
        unit=district.east_community,
        consented=True,
    )
    assert again.pk != volunteers[0].pk


# --- Staff entries ----------------------------------------------------------------------------------


def test_staff_enter_a_person_who_consented_on_paper(district, dora, charlie):
    with pytest.raises(ServiceError, match="书面同意"):
        services.create_volunteer(person(), unit=district.east_community, consented_on_paper=False, by=dora)
    with pytest.raises(PermissionDenied):
        services.create_volunteer(person(), unit=district.east_community, consented_on_paper=True, by=charlie)
    volunteer = services.create_volunteer(person(), unit=district.east_community, consented_on_paper=True, by=dora)
    assert volunteer.source == VolunteerSource.STAFF and volunteer.created_by == dora
    with pytest.raises(ServiceError, match="已注册"):
        services.create_volunteer(person(), unit=district.east_community, consented_on_paper=True, by=dora)


def test_training_awards_evaluations_are_kept_in_scope(district, dora, charlie):
    volunteer = make_volunteer(district.east_community, 1)
    training = services.add_training(
        volunteer, course="急救", held_on=date(2026, 3, 1), minutes=120, result="合格", by=dora
    )
    assert training.unit == district.east_community
    with pytest.raises(PermissionDenied):
        services.add_training(volunteer, course="急救", held_on=date(2026, 3, 1), minutes=120, result="", by=charlie)
    with pytest.raises(ServiceError, match="不能晚于今天"):
        services.add_award(
            volunteer,
            honour="优秀志愿者",
            level="district",
            issuer="区文明办",
            awarded_on=timezone.localdate() + timedelta(days=1),
            by=dora,
        )
    with pytest.raises(ServiceError, match="1到5"):
        services.add_evaluation(volunteer, rating=6, comment="", by=dora)
    with pytest.raises(PermissionDenied):
        services.delete_entry(training, by=charlie)
    services.delete_entry(training, by=dora)
    assert not volunteer.trainings.exists()


# --- Certificates ---------------------------------------------------------------------------------


@pytest.fixture
def served(district):
    """A volunteer of 幸福社区 with 90 confirmed minutes recorded by 幸福社区, 60 by 和平社区 (west),
    and a pending manual record of 幸福社区."""
    volunteer = make_volunteer(district.east_community, 1)
    east = make_activity(make_project(make_team(district.east_community)), starts_at=timezone.now() - timedelta(days=3))
    west = make_activity(
        make_project(make_team(district.west_community, name="西城队")), starts_at=timezone.now() - timedelta(days=2)
    )
    east2 = make_activity(east.project, starts_at=timezone.now() - timedelta(days=1), title="敬老")
    record(east, volunteer, 90)
    record(west, volunteer, 60)
    record(east2, volunteer, 45, status=RecordStatus.PENDING, source="manual")
    return volunteer


def period():
    today = timezone.localdate()
    return {"period_start": today - timedelta(days=30), "period_end": today}


def test_a_certificate_counts_only_the_issuing_units_confirmed_records(served, dora, bob, alice):
    certificate = services.issue_certificate(served, by=dora, **period())
    assert (certificate.minutes, certificate.activities, certificate.unit) == (90, 1, dora.unit)
    assert certificate.number == f"ZYZM-{timezone.localdate().year}-000001"
    second = services.issue_certificate(served, by=bob, **period())  # 东城街道 covers 幸福社区 below it
    assert second.minutes == 90 and second.number.endswith("000002")
    # 部管理员 sees everything, but 区委宣传部 recorded none of this service: it cannot certify it.
    with pytest.raises(ServiceError, match="谁记录谁证明"):
        services.issue_certificate(served, by=alice, **period())


def test_no_certificate_without_hours(served, charlie, district):
    west_volunteer = make_volunteer(district.west_community, 5)
    with pytest.raises(ServiceError, match="谁记录谁证明"):
        services.issue_certificate(west_volunteer, by=charlie, **period())
    with pytest.raises(PermissionDenied):
        services.issue_certificate(served, by=charlie, **period())


def test_period_is_checked(served, dora):
    today = timezone.localdate()
    with pytest.raises(ServiceError, match="起始日期不能晚于截止日期"):
        services.issue_certificate(served, by=dora, period_start=today, period_end=today - timedelta(days=1))
    with pytest.raises(ServiceError, match="截止日期不能晚于今天"):
        services.issue_certificate(served, by=dora, period_start=today, period_end=today + timedelta(days=1))
    with pytest.raises(ServiceError, match="谁记录谁证明"):
        services.issue_certificate(
            served, by=dora, period_start=today - timedelta(days=400), period_end=today - timedelta(days=300)
        )


def test_minutes_stay_frozen_after_a_correction(served, dora):
    certificate = services.issue_certificate(served, by=dora, **period())
    served.records.filter(unit=dora.unit).update(minutes=10)
    certificate.refresh_from_db()
    assert certificate.minutes == 90


def test_revocation_needs_a_reason_and_happens_once(served, dora, charlie):
    certificate = services.issue_certificate(served, by=dora, **period())
    with pytest.raises(ServiceError, match="作废原因"):
        services.revoke_certificate(certificate, reason=" ", by=dora)
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(certificate, reason="录入错误", by=charlie)
    revoked = services.revoke_certificate(certificate, reason="录入错误", by=dora)
    assert revoked.revoked_at and revoked.revoke_reason == "录入错误"
    with pytest.raises(ServiceError, match="已作废"):
        services.revoke_certificate(certificate, reason="再次", by=dora)
