"""Pages of the publishing app's proofreading part (included by ``publishing/urls.py`` at
``/publishing/proofreading/``, namespace ``publishing``)."""

from django.urls import path

from xuanchuan.publishing.views import proofreading as views

urlpatterns: list = [
    path("", views.proofread, name="proofread"),
    path("lexicon/", views.LexiconEntryListView.as_view(), name="lexicon_list"),
    path("lexicon/defaults/", views.lexicon_defaults, name="lexicon_defaults"),
    path("lexicon/defaults/toggle/", views.lexicon_default_toggle, name="lexicon_default_toggle"),
    path("lexicon/add/", views.lexicon_add, name="lexicon_add"),
    path("lexicon/import/", views.lexicon_import, name="lexicon_import"),
    path("lexicon/import/template/", views.lexicon_template, name="lexicon_template"),
    path("lexicon/<int:pk>/edit/", views.lexicon_edit, name="lexicon_edit"),
    path("lexicon/<int:pk>/toggle/", views.lexicon_toggle, name="lexicon_toggle"),
    path("allowed/", views.AllowedFindingListView.as_view(), name="allowed_list"),
    path("allowed/add/", views.allowed_add, name="allowed_add"),
    path("allowed/<int:pk>/remove/", views.allowed_remove, name="allowed_remove"),
    path("names/", views.NameTitleListView.as_view(), name="name_list"),
    path("names/add/", views.name_add, name="name_add"),
    path("names/import/", views.name_import, name="name_import"),
    path("names/import/template/", views.name_template, name="name_template"),
    path("names/<int:pk>/edit/", views.name_edit, name="name_edit"),
    path("names/<int:pk>/toggle/", views.name_toggle, name="name_toggle"),
]
