"""Connects the parts' receivers of ``publishing.signals`` (the news site's cache, the external
adapters) once the app is ready."""


def connect() -> None:
    from xuanchuan.publishing.adapters import dispatch  # noqa: F401 (receivers connect on import)
    from xuanchuan.publishing.site import cache  # noqa: F401 (receivers connect on import)
