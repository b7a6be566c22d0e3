"""Pages of the publishing app's review part (included by ``publishing/urls.py``)."""

from django.urls import path

from xuanchuan.publishing.views import publications, review

urlpatterns = [
    path("publications/", publications.PublicationListView.as_view(), name="publication_list"),
    path("publications/new/", publications.publication_create, name="publication_create"),
    path("publications/<int:pk>/", publications.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/edit/", publications.publication_edit, name="publication_edit"),
    path("publications/<int:pk>/submit/", publications.publication_submit, name="publication_submit"),
    path("publications/<int:pk>/withdraw/", publications.publication_withdraw, name="publication_withdraw"),
    path("publications/<int:pk>/take-down/", publications.publication_take_down, name="publication_take_down"),
    path("publications/<int:pk>/diff/", publications.publication_diff, name="publication_diff"),
    path("publications/<int:pk>/attachments/", publications.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", publications.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", publications.attachment_delete, name="attachment_delete"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/tasks/<int:pk>/claim/", review.task_claim, name="task_claim"),
    path("review/tasks/<int:pk>/release/", review.task_release, name="task_release"),
    path("review/tasks/<int:pk>/approve/", review.task_approve, name="task_approve"),
    path("review/tasks/<int:pk>/return/", review.task_return, name="task_return"),
    path("review/notices/", review.notice_list, name="notice_list"),
]
