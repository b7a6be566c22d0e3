"""Pages of the theory app's study part: central study groups, members, plans, sessions, attendance by
the changing code, leave and make-up, speeches, a member's own record."""

from django.urls import path

from xuanchuan.theory.views import study as views
from xuanchuan.theory.views import study_attendance as attendance
from xuanchuan.theory.views import study_plans as plans
from xuanchuan.theory.views import study_sessions as sessions

urlpatterns = [
    path("study/groups/", views.GroupListView.as_view(), name="group_list"),
    path("study/groups/new/", views.group_create, name="group_create"),
    path("study/groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("study/groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("study/groups/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("study/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("study/members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("study/members/<int:pk>/archive/", views.member_archive, name="member_archive"),
    path("study/plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("study/plans/new/", plans.plan_create, name="plan_create"),
    path("study/plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("study/plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("study/plans/<int:pk>/items/add/", plans.plan_item_add, name="plan_item_add"),
    path("study/plan-items/<int:pk>/edit/", plans.plan_item_edit, name="plan_item_edit"),
    path("study/plan-items/<int:pk>/delete/", plans.plan_item_delete, name="plan_item_delete"),
    path("study/sessions/", sessions.SessionListView.as_view(), name="session_list"),
    path("study/sessions/new/", sessions.session_create, name="session_create"),
    path("study/sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("study/sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("study/sessions/<int:pk>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("study/sessions/<int:pk>/screen/", attendance.session_screen, name="session_screen"),
    path("study/sessions/<int:pk>/screen/state/", attendance.session_screen_state, name="session_screen_state"),
    path("study/sessions/<int:pk>/record/", attendance.session_record, name="session_record"),
    path("study/sessions/<int:pk>/close/", attendance.session_close, name="session_close"),
    path("study/sessions/<int:pk>/minutes/", attendance.session_minutes, name="session_minutes"),
    path("study/sessions/<int:pk>/leave/", attendance.leave_request, name="leave_request"),
    path("study/sessions/<int:pk>/speech/", attendance.speech_submit, name="speech_submit"),
    path("study/checkin/<int:pk>/<str:code>/", attendance.session_checkin, name="session_checkin"),
    path("study/checkin/", attendance.checkin_code, name="checkin_code"),
    path("study/leave/", attendance.LeaveQueueView.as_view(), name="leave_queue"),
    path("study/leave/<int:pk>/approve/", attendance.leave_approve, name="leave_approve"),
    path("study/leave/<int:pk>/refuse/", attendance.leave_refuse, name="leave_refuse"),
    path("study/leave/<int:pk>/makeup/", attendance.makeup_submit, name="makeup_submit"),
    path("study/speeches/<int:pk>/file/", attendance.speech_file, name="speech_file"),
    path("study/me/", attendance.my_study, name="my_study"),
]
