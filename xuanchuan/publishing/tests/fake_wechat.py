"""A fake WeChat API server on loopback for the external publishing tests (never the internet).

It implements what the draft → publish flow calls (``newmedia_exports.md`` §5): ``GET
/cgi-bin/token``, ``POST /cgi-bin/draft/add``, ``/cgi-bin/freepublish/submit``,
``/cgi-bin/freepublish/get`` and ``/cgi-bin/freepublish/delete``, with scripted outcomes:

- ``outcome``: ``0`` (published, with an article URL) or a failing ``publish_status`` 2–6 (with
  ``fail_idx``), applied to the jobs by ``finish()``; until then a job is "1 发布中";
- ``expire_token_once``: the next call with a valid token answers 42001 and forgets the token;
- ``errors``: a queue of error codes answered by the next calls to a path
  (``errors["/cgi-bin/freepublish/submit"] = [53503]``, ``[-1, -1]`` for a busy system);
- ``push(job, url, token)``: POST the ``PUBLISHJOBFINISH`` event to a callback URL, signed the
  way WeChat signs it (sha1 of the sorted token, timestamp and nonce).

Every request is recorded in ``calls`` as ``(path, query, body)``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

APP_ID = "wx0000000000test01"
APP_SECRET = "fakesecret0123456789abcdef"  # noqa: S105 (the fake server's own)
CALLBACK_TOKEN = "faketoken123"  # noqa: S105


@dataclass
class Job:
    publish_id: str
    media_id: str
    status: int = 1
    article_id: str = ""
    url: str = ""
    fail_idx: list[int] = field(default_factory=list)


class FakeWeChat:
    def __init__(self, app_id: str = APP_ID, secret: str = APP_SECRET) -> None:
        self.app_id, self.secret = app_id, secret
        self.tokens: set[str] = set()
        self.drafts: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, Job] = {}
        self.deleted: list[str] = []
        self.calls: list[tuple[str, dict[str, list[str]], Any]] = []
        self.outcome = 0
        self.expire_token_once = False
        self.errors: dict[str, list[int]] = defaultdict(list)
        self.numeric_ids = False
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    # --- the server ---------------------------------------------------------------------------

    def start(self) -> FakeWeChat:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _answer(self, data: dict[str, Any]) -> None:
                body = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                parsed = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parsed.query)
                with fake._lock:
                    fake.calls.append((parsed.path, query, None))
                    self._answer(fake.handle(parsed.path, query, None))

            def do_POST(self) -> None:  # noqa: N802
                parsed = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parsed.query)
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = None
                with fake._lock:
                    fake.calls.append((parsed.path, query, body))
                    self._answer(fake.handle(parsed.path, query, body))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    # --- the API ------------------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        number = next(self._counter)
        return str(2247483600 + number) if self.numeric_ids else f"{prefix}{number:04d}"

    # publish ids of the string kind look like "PUBLISH-0003"; numeric ones like 2247483603

    def handle(self, path: str, query: dict[str, list[str]], body: Any) -> dict[str, Any]:
        if self.errors.get(path):
            code = self.errors[path].pop(0)
            return {"errcode": code, "errmsg": f"scripted error {code}"}
        if path == "/cgi-bin/token":
            if query.get("appid") != [self.app_id] or query.get("secret") != [self.secret]:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            token = f"TOKEN-{next(self._counter)}"
            self.tokens.add(token)
            return {"access_token": token, "expires_in": 7200}
        token = (query.get("access_token") or [""])[0]
        if token not in self.tokens:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        if self.expire_token_once:
            self.expire_token_once = False
            self.tokens.discard(token)
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if not isinstance(body, dict):
            return {"errcode": 47001, "errmsg": "data format error"}
        if path == "/cgi-bin/draft/add":
            articles = body.get("articles")
            if not articles or not isinstance(articles, list):
                return {"errcode": 47001, "errmsg": "data format error"}
            article = articles[0]
            if len(article.get("title", "")) > 32 or len(article.get("content", "")) >= 20000:
                return {"errcode": 45003, "errmsg": "title or content size out of limit"}
            if not article.get("thumb_media_id"):
                return {"errcode": 40007, "errmsg": "invalid media_id"}
            media_id = self._new_id("MEDIA-")
            self.drafts[media_id] = article
            return {"media_id": media_id}
        if path == "/cgi-bin/freepublish/submit":
            media_id = str(body.get("media_id", ""))
            if media_id not in self.drafts:
                return {"errcode": 40007, "errmsg": "invalid media_id"}
            publish_id = self._new_id("PUBLISH-")
            self.jobs[publish_id] = Job(publish_id, media_id)
            return {"errcode": 0, "errmsg": "ok", "publish_id": int(publish_id) if self.numeric_ids else publish_id}
        if path == "/cgi-bin/freepublish/get":
            job = self.jobs.get(str(body.get("publish_id", "")))
            if job is None:
                return {"errcode": 40007, "errmsg": "invalid publish_id"}
            return self.job_info(job)
        if path == "/cgi-bin/freepublish/delete":
            self.deleted.append(str(body.get("article_id", "")))
            return {"errcode": 0, "errmsg": "ok"}
        return {"errcode": 40066, "errmsg": "invalid url"}

    def job_info(self, job: Job) -> dict[str, Any]:
        info: dict[str, Any] = {"publish_id": job.publish_id, "publish_status": job.status}
        if job.status == 0:
            info["article_id"] = job.article_id
            info["article_detail"] = {"count": 1, "item": [{"idx": 1, "article_url": job.url}]}
        elif job.status != 1:
            info["fail_idx"] = job.fail_idx
        return info

    def finish(self, publish_id: str | None = None) -> list[Job]:
        """End the jobs still "发布中" (or one of them) with ``outcome``."""
        done = []
        with self._lock:
            for job in self.jobs.values():
                if job.status == 1 and publish_id in (None, job.publish_id):
                    job.status = self.outcome
                    if self.outcome == 0:
                        job.article_id = f"ARTICLE-{job.publish_id}"
                        job.url = f"https://mp.weixin.qq.com/s/fake-{job.publish_id}"
                    else:
                        job.fail_idx = [1]
                    done.append(job)
        return done

    def event_xml(self, job: Job) -> str:
        items = f"<item><idx>1</idx><article_url><![CDATA[{job.url}]]></article_url></item>" if job.url else ""
        fail = "".join(f"<fail_idx>{idx}</fail_idx>" for idx in job.fail_idx)
        return (
            "<xml><ToUserName><![CDATA[gh_fake]]></ToUserName><FromUserName><![CDATA[system]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            "<Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo>"
            f"<publish_id>{job.publish_id}</publish_id><publish_status>{job.status}</publish_status>"
            f"<article_id><![CDATA[{job.article_id}]]></article_id>"
            f"<article_detail><count>{1 if job.url else 0}</count>{items}</article_detail>{fail}"
            "</PublishEventInfo></xml>"
        )


def signed_query(token: str, timestamp: str | None = None, nonce: str = "138191") -> dict[str, str]:
    timestamp = timestamp or str(int(time.time()))
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def push(fake: FakeWeChat, job: Job, url: str, token: str = CALLBACK_TOKEN) -> tuple[int, str]:
    """POST the signed ``PUBLISHJOBFINISH`` event of ``job`` to ``url``, as WeChat does."""
    full = f"{url}?{urllib.parse.urlencode(signed_query(token))}"
    request = urllib.request.Request(  # noqa: S310 (loopback)
        full, data=fake.event_xml(job).encode(), method="POST", headers={"Content-Type": "text/xml"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def fake_wechat(settings):
    """A started fake server with the settings pointing at it."""
    fake = FakeWeChat().start()
    settings.PUBLISHING_WECHAT_API_BASE = fake.base_url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wx"}}
    from django.core.cache import cache

    cache.clear()
    yield fake
    fake.stop()
