"""The reveal view, who may use it, the access log and its admin."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from xuanchuan.conftest import make_person
from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.core.pii.access import client_ip, may_reveal
from xuanchuan.core.pii.views import reveal_view
from xuanchuan.core.tests.piimodels import Resident
from xuanchuan.org.models import RoleCode

pytestmark = pytest.mark.django_db


def reveal_url(instance, field: str = "phone") -> str:
    content_type = ContentType.objects.get_for_model(type(instance))
    return reverse("core:pii_reveal", args=[content_type.pk, instance.pk, field])


def test_a_verified_reader_sees_the_value_and_is_logged(resident, alice, verified_client) -> None:
    client = verified_client(alice)
    response = client.post(
        reveal_url(resident),
        HTTP_HX_REQUEST="true",
        HTTP_HX_PROMPT="核对来访登记",
        HTTP_USER_AGENT="测试浏览器/1.0",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "13812345678" in html and "pii-revealed" in html
    assert f'id="pii-{ContentType.objects.get_for_model(Resident).pk}-{resident.pk}-phone"' in html
    assert "no-store" in response["Cache-Control"]
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.username, entry.object_id, entry.field) == (
        alice,
        "alice",
        str(resident.pk),
        "phone",
    )
    assert entry.content_type.model == "resident"
    assert (entry.reason, entry.ip_address, entry.user_agent) == (
        "核对来访登记",
        "127.0.0.1",
        "测试浏览器/1.0",
    )
    assert entry.field_verbose_name == "phone"  # the test model's app is not installed, so no class to ask


def test_reason_may_come_from_the_form(resident, dora, verified_client) -> None:
    response = verified_client(dora).post(reveal_url(resident, "id_number"), {"reason": "  入户走访  "})
    assert response.status_code == 200 and "11010519491231002X" in response.content.decode()
    assert PersonalDataAccess.objects.get().reason == "入户走访"


def test_a_reader_of_a_sibling_unit_gets_404(resident, district, verified_client) -> None:
    erin = make_person("erin", district.west_community, RoleCode.COMMUNITY_WORKER, full_name="尔琳")
    response = verified_client(erin).post(reveal_url(resident))
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_outsider_gets_404_like_a_missing_record(resident, charlie, client) -> None:
    client.force_login(charlie)
    assert client.post(reveal_url(resident)).status_code == 404
    missing = reverse("core:pii_reveal", args=[ContentType.objects.get_for_model(Resident).pk, 999999, "phone"])
    assert client.post(missing).status_code == 404


def test_a_user_who_sees_the_record_but_may_not_read_personal_data_gets_403(resident, bob, client) -> None:
    client.force_login(bob)
    response = client.post(reveal_url(resident))
    assert response.status_code == 403
    assert "13812345678" not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_an_unverified_reader_is_refused_by_the_view_itself(resident, alice) -> None:
    request = RequestFactory().post(reveal_url(resident))
    request.user = alice
    alice.is_verified = lambda: False
    content_type = ContentType.objects.get_for_model(Resident)
    with pytest.raises(PermissionDenied):
        reveal_view(request, content_type_id=content_type.pk, pk=str(resident.pk), field="phone")
    assert not PersonalDataAccess.objects.exists()


def test_anonymous_gets_404(resident, client) -> None:
    assert client.post(reveal_url(resident)).status_code == 404


def test_only_post(resident, alice, verified_client) -> None:
    assert verified_client(alice).get(reveal_url(resident)).status_code == 405


@pytest.mark.parametrize("field", ["registered_at", "unit", "id_number_index", "nothing", "__class__"])
def test_fields_that_are_not_encrypted_are_not_there(resident, alice, verified_client, field) -> None:
    assert verified_client(alice).post(reveal_url(resident, field)).status_code == 404


def test_models_without_encrypted_fields_and_bad_ids_are_not_there(resident, district, alice, verified_client) -> None:
    client = verified_client(alice)
    assert client.post(reveal_url(district.east, "name")).status_code == 404
    resident_type = ContentType.objects.get_for_model(Resident).pk
    assert client.post(reverse("core:pii_reveal", args=[resident_type, "abc", "phone"])).status_code == 404
    assert client.post(reverse("core:pii_reveal", args=[987654, resident.pk, "phone"])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_may_reveal_asks_for_role_activity_and_second_factor(alice, bob) -> None:
    alice.is_verified = lambda: True
    assert may_reveal(alice)
    bob.is_verified = lambda: True
    assert not may_reveal(bob)
    del alice.is_verified
    assert not may_reveal(alice)  # outside a request django-otp has not said yes
    alice.is_verified = lambda: True
    alice.is_active = False
    assert not may_reveal(alice)
    assert not may_reveal(None)


def test_client_ip_trusts_the_proxy_only_when_configured(settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "10.0.0.5"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "203.0.113.9"


def test_access_log_admin_is_read_only(resident, district, verified_client) -> None:
    root = make_person("root", district.publicity, is_superuser=True, is_staff=True)
    client = verified_client(root)
    assert client.post(reveal_url(resident)).status_code == 200
    entry = PersonalDataAccess.objects.get()
    changelist = reverse("admin:core_personaldataaccess_changelist")
    response = client.get(changelist, {"q": "root"})
    assert response.status_code == 200 and str(resident.pk) in response.content.decode()
    assert (
        client.get(changelist, {"field": "phone", "content_type__id__exact": entry.content_type_id}).status_code == 200
    )
    assert client.get(reverse("admin:core_personaldataaccess_add")).status_code == 403
    change = reverse("admin:core_personaldataaccess_change", args=[entry.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"reason": "改掉"}).status_code == 403
    assert client.post(reverse("admin:core_personaldataaccess_delete", args=[entry.pk])).status_code == 403
    assert PersonalDataAccess.objects.get().reason == ""
    assert client.get(reverse("admin:core_retentionpurge_changelist")).status_code == 200
