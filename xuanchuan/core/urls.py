from django.urls import path

from xuanchuan.core import views
from xuanchuan.core.pii.views import reveal_view

urlpatterns = [
    path("", views.home, name="home"),
    path("pii/reveal/<int:content_type_id>/<str:pk>/<str:field>/", reveal_view, name="pii_reveal"),
]
