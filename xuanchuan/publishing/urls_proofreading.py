"""Pages of the publishing app's proofreading part (included by ``publishing/urls.py`` at
``/publishing/proofreading/``, namespace ``publishing``)."""

from django.urls import path

from xuanchuan.publishing.views import lexicons, proofreading

urlpatterns: list = [
    path("", proofreading.proofread, name="proofread"),
    path("lexicon/", lexicons.LexiconEntryListView.as_view(), name="lexicon_list"),
    path("lexicon/defaults/", lexicons.lexicon_defaults, name="lexicon_defaults"),
    path("lexicon/defaults/toggle/", lexicons.lexicon_default_toggle, name="lexicon_default_toggle"),
    path("lexicon/add/", lexicons.lexicon_add, name="lexicon_add"),
    path("lexicon/import/", lexicons.lexicon_import, name="lexicon_import"),
    path("lexicon/import/template/", lexicons.lexicon_template, name="lexicon_template"),
    path("lexicon/<int:pk>/edit/", lexicons.lexicon_edit, name="lexicon_edit"),
    path("lexicon/<int:pk>/toggle/", lexicons.lexicon_toggle, name="lexicon_toggle"),
    path("allowed/", lexicons.AllowedFindingListView.as_view(), name="allowed_list"),
    path("allowed/add/", lexicons.allowed_add, name="allowed_add"),
    path("allowed/<int:pk>/remove/", lexicons.allowed_remove, name="allowed_remove"),
    path("names/", lexicons.NameTitleListView.as_view(), name="name_list"),
    path("names/add/", lexicons.name_add, name="name_add"),
    path("names/import/", lexicons.name_import, name="name_import"),
    path("names/import/template/", lexicons.name_template, name="name_template"),
    path("names/<int:pk>/edit/", lexicons.name_edit, name="name_edit"),
    path("names/<int:pk>/toggle/", lexicons.name_toggle, name="name_toggle"),
]
