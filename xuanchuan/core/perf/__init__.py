"""Fast paths that lean on Django internals, kept in one place and checked against them.

Two of the public hot paths (arrivals' self-registration) are measurably faster by doing what
Django does, more directly (``benchmarks/README.md``, each about a tenth of a submission):

- ``forms``: form fields copied lazily instead of all deep-copied for each form
  (``FixedChoiceField``, ``copy_field``, ``QuicklyCopiedFields``/``LazilyCopiedFields``,
  ``copy_fields_lazily``) and ``LeanCleanMixin._clean_fields`` without a ``BoundField`` per field;
- ``fastinsert``: ``save(force_insert=True)`` for a new row through an ``INSERT`` prepared once per
  model and connection, instead of ``SQLInsertCompiler`` rebuilding it each time.

Each module says which internals it relies on. ``tests/test_django_internals.py`` pins the
Django minor version (``forms.SUPPORTED_DJANGO``) and checks those internals structurally, and
compares the fast results with Django's own; on an upgrade it fails first, and the fix is to
check each point again (or drop the fast path — every caller works with plain Django too).
Other apps should not add to this package lightly: a plain ``save()`` and a plain form are the
default, a fast path needs a benchmark showing it matters.
"""
