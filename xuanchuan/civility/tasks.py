"""Background jobs of the civility app (Celery autodiscovery): the tickets part escalates overdue tickets."""
