"""The classroom's media and posters (public): what the phone player (viewers part) and the staff
detail page play. Both go through ``core.ranged`` so seeking works (206 for ranges); in
production nginx sends the bytes after the platform has checked access (X-Accel-Redirect to
``THEORY_MEDIA_ACCEL_PREFIX``)."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from xuanchuan.core.ranged import ranged_file_response
from xuanchuan.theory.queries.classroom import playable_item

# Published media is public and changes only by being withdrawn (a replaced file gets a new
# name): browsers and caches may keep it for an hour.
PUBLIC_MAX_AGE = 3600


def _answer(request: HttpRequest, field_file, content_type: str, public: bool) -> HttpResponse:
    response = ranged_file_response(
        request, field_file, content_type=content_type, accel_prefix=settings.THEORY_MEDIA_ACCEL_PREFIX
    )
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        # A draft is shown to staff only: never kept by a shared cache, nor by the browser.
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def item_media(request: HttpRequest, pk: int) -> HttpResponse:
    """The item's video or audio, with ranges: a published item to anyone, a draft or withdrawn
    one to staff in its scope (404 to others)."""
    item, public = playable_item(request.user, pk)
    if not item.media:
        raise Http404
    return _answer(request, item.media, item.content_type, public)


@require_safe
def item_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The item's poster image (404 where it has none), under the same access rule as its media."""
    item, public = playable_item(request.user, pk)
    if not item.poster:
        raise Http404
    content_type = mimetypes.guess_type(item.poster.name)[0] or "image/jpeg"
    return _answer(request, item.poster, content_type, public)
