"""Pages of the theory app's viewers part: the public phone classroom (categories, search, the player,
resuming), viewers' progress and plays, residents' questions and their review and answers.

``m/classroom/`` is the public entry of the cloud classroom (linked from the public home page and
its QR code)."""

from django.urls import path

from xuanchuan.theory.views import viewers as views

urlpatterns = [
    path("m/classroom/", views.m_classroom, name="m_classroom"),
    path("m/classroom/<int:pk>/", views.m_item, name="m_item"),
    path("m/classroom/<int:pk>/play/", views.m_item_play, name="m_item_play"),
    path("m/classroom/<int:pk>/progress/", views.m_item_progress, name="m_item_progress"),
    path("m/classroom/<int:pk>/ask/", views.m_item_ask, name="m_item_ask"),
    path("classroom/questions/", views.question_queue, name="question_queue"),
    path("classroom/questions/<int:pk>/", views.question_decide, name="question_decide"),
    path("classroom/questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("classroom/items/<int:pk>/stats/", views.item_stats, name="item_stats"),
]
