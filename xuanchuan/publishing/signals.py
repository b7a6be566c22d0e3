"""What the publishing services announce, for the parts that react: the news site clears its
cached pages, the external adapters put the item out on the outlets it targets. Sent with
``transaction.on_commit`` by ``services``, so receivers see the committed rows.

``publication_published(sender=Publication, publication=...)``: it is published now.
``publication_taken_down(sender=Publication, publication=..., reason=...)``: it was taken down.
``publication_changed(sender=Publication, publication=...)``: anything else a public page shows
changed (columns, outlets, title of a published item).
"""

from django.dispatch import Signal

publication_published = Signal()
publication_taken_down = Signal()
publication_changed = Signal()
