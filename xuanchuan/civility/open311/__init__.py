"""The Open311 GeoReport v2 endpoints (``/open311/v2/``): rendering (``formats``), client keys
(``keys``), the public request objects (``requests``) and the views (``views``)."""
