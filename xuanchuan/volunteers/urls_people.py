"""Pages of the volunteers app's people part: the resident's phone pages under ``m/`` (register,
sign in and out, home, profile, withdrawal, record, certificates), the staff pages under
``people/`` and ``certificates/``, and the public certificate check under ``verify/``."""

from django.urls import path

from xuanchuan.volunteers.views import people_public as public
from xuanchuan.volunteers.views import people_staff as staff

urlpatterns = [
    # Residents, on their phone.
    path("m/join/", public.join, name="join"),
    path("m/signin/", public.signin, name="signin"),
    path("m/signin/choose/", public.signin_choose, name="signin_choose"),
    path("m/signout/", public.signout, name="signout"),
    path("m/", public.me, name="me"),
    path("m/profile/", public.me_edit, name="me_edit"),
    path("m/withdraw/", public.me_withdraw, name="me_withdraw"),
    path("m/record/", public.my_record, name="my_record"),
    path("m/record.xlsx", public.my_record_xlsx, name="my_record_xlsx"),
    path("m/certificates/", public.m_certificates, name="m_certificates"),
    path("m/certificates/<int:pk>.docx", public.m_certificate_file, {"kind": "docx"}, name="m_certificate_docx"),
    path("m/certificates/<int:pk>.pdf", public.m_certificate_file, {"kind": "pdf"}, name="m_certificate_pdf"),
    # Anyone: the check of a certificate.
    path("verify/", public.certificate_verify, name="certificate_verify"),
    path("verify/<str:code>/", public.certificate_check, name="certificate_check"),
    # Staff.
    path("people/", staff.VolunteerListView.as_view(), name="volunteer_list"),
    path("people/new/", staff.volunteer_create, name="volunteer_create"),
    path("people/<int:pk>/", staff.volunteer_detail, name="volunteer_detail"),
    path("people/<int:pk>/edit/", staff.volunteer_edit, name="volunteer_edit"),
    path("people/<int:pk>/record.xlsx", staff.volunteer_record_xlsx, name="volunteer_record_xlsx"),
    path("people/<int:pk>/trainings/new/", staff.training_add, name="training_add"),
    path("people/<int:pk>/awards/new/", staff.award_add, name="award_add"),
    path("people/<int:pk>/evaluations/new/", staff.evaluation_add, name="evaluation_add"),
    path("people/trainings/<int:pk>/delete/", staff.training_delete, name="training_delete"),
    path("people/awards/<int:pk>/delete/", staff.award_delete, name="award_delete"),
    path("people/evaluations/<int:pk>/delete/", staff.evaluation_delete, name="evaluation_delete"),
    path("people/<int:pk>/certificates/new/", staff.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/docx/", staff.certificate_docx, name="certificate_docx"),
    path("certificates/<int:pk>/pdf/", staff.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", staff.certificate_revoke, name="certificate_revoke"),
]
