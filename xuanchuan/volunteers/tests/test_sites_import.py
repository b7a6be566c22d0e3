"""A team's Excel import of its members: all or nothing, every error with its row and column,
one person one volunteer across teams, the same file twice changes nothing, consent required,
hostile files refused in Chinese."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xuanchuan.conftest import verified_login
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import UnitType
from xuanchuan.org.services import create_unit
from xuanchuan.volunteers.models import Membership, Volunteer, VolunteerSource
from xuanchuan.volunteers.services import sites as services
from xuanchuan.volunteers.tests.factories import id_number, make_team, make_volunteer
from xuanchuan.volunteers.tests.sites_files import huge_file, member_file, person, zip_bomb

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return "\n".join(excinfo.value.messages)


def test_a_good_file_enrols_and_joins(district, dora):
    team = make_team(district.east_community)
    result = services.import_members(team, member_file([person(1), person(2)]), consented=True, by=dora)
    assert (result.created, result.matched, result.joined) == (2, 0, 2)
    volunteer = Volunteer.objects.get(number=Membership.objects.filter(team=team).first().volunteer.number)
    assert volunteer.source == VolunteerSource.IMPORT and volunteer.unit == district.east_community
    assert volunteer.created_by == dora and volunteer.skills == "理发"
    assert Membership.objects.filter(team=team, left_on__isnull=True).count() == 2


def test_the_same_file_again_changes_nothing(district, dora):
    team = make_team(district.east_community)
    data = member_file([person(1), person(2)])
    services.import_members(team, data, consented=True, by=dora)
    again = services.import_members(team, data, consented=True, by=dora)
    assert (again.created, again.matched, again.joined) == (0, 2, 0)
    assert Volunteer.objects.count() == 2 and Membership.objects.count() == 2


def test_one_person_is_one_volunteer_across_two_teams(district, dora, bob):
    registered = make_volunteer(district.east_community, 1)
    first, second = make_team(district.east_community, "甲队"), make_team(district.east, "乙队")
    services.import_members(first, member_file([person(1), person(2)]), consented=True, by=dora)
    result = services.import_members(second, member_file([person(2), person(3)]), consented=True, by=bob)
    assert (result.created, result.matched, result.joined) == (1, 1, 2)
    assert Volunteer.objects.count() == 3
    assert registered.memberships.get().team == first
    both = Volunteer.objects.get(number=second.memberships.order_by("pk").first().volunteer.number)
    assert set(both.memberships.values_list("team__name", flat=True)) == {"甲队", "乙队"}


def test_any_bad_row_refuses_the_whole_file(district, bob):
    create_unit(parent=district.east, name="同名社区", unit_type=UnitType.COMMUNITY, code="T-S01-C02")
    create_unit(parent=district.east, name="同名社区", unit_type=UnitType.COMMUNITY, code="T-S01-C03")
    bad_id = person(2)
    bad_id[1] = "110101199001010000"
    bad_phone = person(3)
    bad_phone[2] = "12345"
    rows = [
        person(1),
        bad_id,
        bad_phone,
        person(4, "和平社区"),  # a community outside bob's scope
        person(5, "同名社区"),  # ambiguous
        person(6, "不存在社区"),
        ["", id_number(7), "13700000007", "", "", "幸福社区"],
        person(1),  # the same person twice
    ]
    team = make_team(district.east_community)
    with pytest.raises(ServiceError) as excinfo:
        services.import_members(team, member_file(rows), consented=True, by=bob)
    text = messages_of(excinfo)
    assert "文件有错误，未导入任何人员" in text
    assert "第3行“身份证号码”列（B列）" in text
    assert "第4行“手机号码”列（C列）" in text
    assert "第5行“所在社区（村）”列（F列）：“和平社区”不是您管辖范围内的社区（村）" in text
    assert "第6行“所在社区（村）”列（F列）：“同名社区”有重名" in text
    assert "第7行“所在社区（村）”列（F列）：“不存在社区”不是您管辖范围内的社区（村）" in text
    assert "第8行“姓名”列（A列）：不能为空" in text
    assert "第9行“身份证号码”列（B列）：与第 2 行是同一个人" in text
    assert "第2行" not in text.replace("与第 2 行", "")
    assert Volunteer.objects.count() == 0 and Membership.objects.count() == 0


def test_headers_consent_and_an_empty_file(district, dora):
    team = make_team(district.east_community)
    with pytest.raises(ServiceError, match="缺少列：身份证号码、所在社区（村）"):
        services.import_members(team, member_file([["张三"]], header=["姓名", "手机号码"]), consented=True, by=dora)
    with pytest.raises(ServiceError, match="请确认本队已取得以上人员同意后再导入"):
        services.import_members(team, member_file([person(1)]), consented=False, by=dora)
    with pytest.raises(ServiceError, match="文件只有表头，没有数据行"):
        services.import_members(team, member_file([]), consented=True, by=dora)
    assert Volunteer.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: b"name,id\nzhang,1\n", "文件已损坏或不是 Office 文件"),
        (lambda: b"", "文件已损坏或不是 Office 文件"),
        (zip_bomb, "解压后异常膨胀，疑似恶意文件"),
        (huge_file, "文件超过 2000 行，请拆分后分批上传"),
    ],
    ids=["not-xlsx", "empty", "zip-bomb", "50000-rows"],
)
def test_hostile_files_are_refused_in_chinese(district, dora, data, message):
    team = make_team(district.east_community)
    with pytest.raises(ServiceError, match=message):
        services.import_members(team, data(), consented=True, by=dora)
    assert Volunteer.objects.count() == 0


def test_import_needs_permission_scope_and_an_active_team(district, dora, charlie, bob):
    from xuanchuan.volunteers.services.sites import dissolve_team

    team = make_team(district.east_community)
    with pytest.raises(PermissionDenied):
        services.import_members(team, member_file([person(1)]), consented=True, by=charlie)
    dissolve_team(team, reason="合并", by=bob)
    with pytest.raises(ServiceError, match="队伍已撤销"):
        services.import_members(team, member_file([person(1)]), consented=True, by=dora)
    assert Volunteer.objects.count() == 0


def test_the_import_page(client, district, dora):
    team = make_team(district.east_community)
    verified_login(client, dora)
    url = reverse("volunteers:team_import", args=[team.pk])
    assert client.get(url).status_code == 200
    template = client.get(reverse("volunteers:team_import_template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    header = next(load_workbook(BytesIO(template.content)).active.iter_rows(values_only=True))
    assert header == services.IMPORT_COLUMNS

    def upload(data: bytes, name: str = "名单.xlsx", **extra):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(url, {"file": SimpleUploadedFile(name, data), **extra})

    page = upload(member_file([person(1)])).content.decode()
    assert "请确认本队已取得以上人员同意后再导入" in page and Volunteer.objects.count() == 0
    page = upload(b"plain text", name="名单.csv", consented="on").content.decode()
    assert "请上传 .xlsx 格式的 Excel 文件" in page
    bad = person(2)
    bad[2] = "1"
    response = upload(member_file([person(1), bad]), consented="on")
    assert response.status_code == 400
    assert "第3行“手机号码”列（C列）" in response.content.decode() and Volunteer.objects.count() == 0
    response = upload(member_file([person(1), person(2)]), consented="on")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "新登记志愿者 2 人，匹配已有志愿者 0 人，新加入本队 2 人" in page
    assert "队员1" not in page  # names masked on the team's page
