"""The district news site served to the public under ``/news/`` (see ``site_urls.py``)."""
