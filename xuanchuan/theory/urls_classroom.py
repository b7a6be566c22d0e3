"""Pages of the theory app's classroom part: the classroom's categories, resumable uploads, items
(publish, withdraw) and the media and posters they are played from."""

from django.urls import path

from xuanchuan.theory.views import classroom_media as media

urlpatterns = [
    path("m/classroom/<int:pk>/media", media.item_media, name="m_item_media"),
    path("m/classroom/<int:pk>/poster", media.item_poster, name="m_item_poster"),
]
