"""Pages of the pass system, mounted at /passes/ under the namespace ``passes``."""

from django.urls import path

from xuanchuan.passes import views

urlpatterns = [
    path("", views.PassListView.as_view(), name="pass_list"),
    path("new/", views.pass_create, name="pass_create"),
    path("import/", views.pass_import, name="pass_import"),
    path("<int:pk>/", views.PassDetailView.as_view(), name="pass_detail"),
    path("<int:pk>/approve/", views.pass_approve, name="pass_approve"),
    path("<int:pk>/refuse/", views.pass_refuse, name="pass_refuse"),
    path("<int:pk>/revoke/", views.pass_revoke, name="pass_revoke"),
    path("<int:pk>/reissue/", views.pass_reissue, name="pass_reissue"),
    path("<int:pk>/qr.png", views.pass_qr, name="pass_qr"),
    path("<int:pk>/print/", views.pass_print, name="pass_print"),
    path("<int:pk>/send-link/", views.pass_send_link, name="pass_send_link"),
    path("households/", views.HouseholdListView.as_view(), name="household_list"),
    path("verifications/", views.VerificationListView.as_view(), name="verification_list"),
    path("movements/", views.MovementListView.as_view(), name="movement_list"),
    path("keys/", views.KeyListView.as_view(), name="key_list"),
    path("keys/rotate/", views.key_rotate, name="key_rotate"),
    path("checkpoint/", views.checkpoint, name="checkpoint"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("apply/<str:code>/", views.resident_apply, name="resident_apply"),
    path("p/<str:token>/", views.resident_pass, name="resident_pass"),
]
