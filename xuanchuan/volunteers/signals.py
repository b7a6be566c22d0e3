"""What one part of the volunteers app tells the others (sent inside the writing transaction, so a
receiver's writes commit or roll back with the sender's):

- ``hours_confirmed(record, by)``: a service record's minutes became certified (check-out scanned,
  or hours entered by hand approved); the points part credits points for them.
- ``hours_corrected(record, old_minutes, by)``: certified minutes were corrected; the points part
  posts the difference.
"""

from django.dispatch import Signal

hours_confirmed = Signal()
hours_corrected = Signal()
