"""The news site's page cache and what clears it (receivers of ``publishing.signals``)."""
