"""Figures of the culture app (sections 五 and 六 of the report), one module per part: events of
series and kinds, audiences (``metrics_events``); venues and arts associations (``metrics_venues``);
competitions, recommended contestants, product videos and their reach (``metrics_contests``); works
received and shown (``metrics_works``); holiday visitors and revenue, raw and per holiday day
(``metrics_tourism``). The report engine computes their year-on-year change (``core.growth``)."""

from xuanchuan.culture import metrics_contests, metrics_events, metrics_tourism, metrics_venues, metrics_works  # noqa: F401
