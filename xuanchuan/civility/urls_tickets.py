"""Pages of the civility app's tickets part (included by ``civility/urls.py`` at /civility/)."""

from django.urls import path

from xuanchuan.civility.views import statistics, tickets

urlpatterns = [
    path("tickets/", tickets.TicketListView.as_view(), name="ticket_list"),
    path("tickets/queue/", tickets.ticket_queue, name="ticket_queue"),
    path("tickets/issue/", tickets.ticket_issue, name="ticket_issue"),
    path("tickets/<int:pk>/", tickets.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/reply/", tickets.ticket_reply, name="ticket_reply"),
    path("tickets/<int:pk>/accept/", tickets.ticket_accept, name="ticket_accept"),
    path("tickets/<int:pk>/reopen/", tickets.ticket_reopen, name="ticket_reopen"),
    path("tickets/<int:pk>/close/", tickets.ticket_close, name="ticket_close"),
    path("tickets/<int:pk>/print.docx", tickets.ticket_docx, name="ticket_docx"),
    path("tickets/<int:pk>/print.pdf", tickets.ticket_pdf, name="ticket_pdf"),
    path("tickets/<int:pk>/photos/<int:photo_pk>/", tickets.ticket_photo, name="ticket_photo"),
    path("notices/", tickets.notice_list, name="notice_list"),
    path("notices/<int:pk>/read/", tickets.notice_read, name="notice_read"),
    path("statistics/", statistics.statistics_page, name="ticket_statistics"),
    path("boards/", statistics.boards_page, name="ticket_boards"),
]
