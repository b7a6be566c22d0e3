"""Pages of the theory app's classroom part: the classroom's categories, resumable uploads, items
(publish, withdraw) and the media and posters they are played from."""

from django.urls import path

from xuanchuan.theory.views import classroom as views
from xuanchuan.theory.views import classroom_media as media
from xuanchuan.theory.views import classroom_uploads as uploads

urlpatterns = [
    path("classroom/categories/", views.CategoryListView.as_view(), name="category_list"),
    path("classroom/categories/new/", views.category_create, name="category_create"),
    path("classroom/categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("classroom/categories/<int:pk>/deactivate/", views.category_deactivate, name="category_deactivate"),
    path("classroom/categories/<int:pk>/activate/", views.category_activate, name="category_activate"),
    path("classroom/upload/", uploads.item_upload, name="item_upload"),
    path("classroom/upload/start", uploads.upload_start, name="upload_start"),
    path("classroom/upload/<uuid:pk>", uploads.upload_chunk, name="upload_chunk"),
    path("classroom/upload/<uuid:pk>/item/", uploads.item_create, name="item_create"),
    path("classroom/items/", views.ItemListView.as_view(), name="item_list"),
    path("classroom/items/<int:pk>/", views.item_detail, name="item_detail"),
    path("classroom/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("classroom/items/<int:pk>/publish/", views.item_publish, name="item_publish"),
    path("classroom/items/<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("classroom/items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("m/classroom/<int:pk>/media", media.item_media, name="m_item_media"),
    path("m/classroom/<int:pk>/poster", media.item_poster, name="m_item_poster"),
]
