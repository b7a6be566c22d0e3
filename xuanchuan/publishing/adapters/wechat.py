"""WeChat official accounts (公众号): the official draft → publish flow.

1. ``GET /cgi-bin/token?grant_type=client_credential&appid=&secret=`` → ``access_token``,
   cached until shortly before ``expires_in`` ends and fetched again on 40001/42001;
2. ``POST /cgi-bin/draft/add`` (title ≤ 32 characters, content HTML < 20,000) → ``media_id``;
3. ``POST /cgi-bin/freepublish/submit {"media_id"}`` → ``publish_id`` (errcode 0 only means the
   job was accepted);
4. the result arrives asynchronously: pushed to the callback URL as a ``PUBLISHJOBFINISH`` event
   (``views/external.py``, signature checked) or, as a fallback, asked for with
   ``POST /cgi-bin/freepublish/get {"publish_id"}`` by the background sweep.

The API base comes from ``settings.PUBLISHING_WECHAT_API_BASE`` (tests use the fake server in
``tests/fake_wechat.py``). The AppSecret is read from the encrypted credential and never logged:
the token request's URL is never put in an error message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from xuanchuan.publishing.adapters.base import Adapter, Outcome

if TYPE_CHECKING:
    from xuanchuan.publishing.models import Outlet
    from xuanchuan.publishing.models.external import OutletCredential, OutletPost

log = logging.getLogger(__name__)

TITLE_MAX = 32
CONTENT_MAX = 20_000
TOKEN_MARGIN = 300  # seconds before expiry when a cached token is no longer used
TOKEN_ERRORS = {40001, 42001, 40014}
MAX_ANSWER = 1_000_000  # bytes of an answer read at most

# WeChat's error codes this flow meets, in Chinese for staff (微信公众平台全局返回码).
ERRORS = {
    -1: "微信系统繁忙，请稍后再试",
    40001: "获取 access_token 时 AppSecret 错误，或 access_token 无效",
    40002: "不合法的凭证类型",
    40007: "不合法的媒体文件 id（封面素材 media_id 无效或已删除）",
    40013: "不合法的 AppID，请检查公众号接口凭据",
    40014: "不合法的 access_token",
    40125: "AppSecret 无效，请检查公众号接口凭据",
    40164: "调用接口的 IP 地址不在公众号的 IP 白名单中",
    41001: "缺少 access_token 参数",
    42001: "access_token 已超时",
    45009: "接口调用超过每日限额",
    47001: "提交的数据格式错误（解析 JSON/XML 内容错误）",
    48001: "公众号没有该接口的权限（未认证或权限被收回）",
    53503: "该草稿未通过发布检查",
    53504: "需前往公众平台官网使用草稿",
    53505: "请手动保存成功后再发表",
    61500: "日期格式错误",
}
# Codes worth trying again later; every other error needs a person.
PASSING = {-1, 45009}

# ``publish_status`` of freepublish/get and of the pushed event.
STATUS_TEXT = {
    0: "发布成功",
    1: "发布中",
    2: "原创声明失败",
    3: "常规失败",
    4: "平台审核不通过",
    5: "发布成功后用户删除了所有文章",
    6: "发布成功后文章被系统封禁",
}


class WeChatError(Exception):
    """WeChat answered an error code, or could not be reached (``code`` is ``None``)."""

    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(message)
        self.code = code

    @property
    def passing(self) -> bool:
        return self.code is None or self.code in PASSING


def error_text(code: int, errmsg: str = "") -> str:
    known = ERRORS.get(code)
    if known:
        return _("微信接口错误 %(code)s：%(text)s") % {"code": code, "text": _(known)}
    return _("微信接口错误 %(code)s：%(text)s") % {"code": code, "text": errmsg[:120] or _("未知错误")}


def check_signature(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """WeChat's signature of a pushed message: sha1 of the sorted token, timestamp and nonce."""
    if not (token and signature and timestamp and nonce):
        return False
    digest = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324 (WeChat's scheme)
    return hmac.compare_digest(digest, signature.lower())


class WeChatClient:
    """The calls of the publish flow for one account, with its access token cached."""

    def __init__(self, credential: OutletCredential) -> None:
        self.credential = credential
        self.base = settings.PUBLISHING_WECHAT_API_BASE.rstrip("/")
        self.timeout = settings.PUBLISHING_WECHAT_TIMEOUT

    @property
    def _cache_key(self) -> str:
        return f"publishing:wechat:token:{self.credential.outlet_id}:{self.credential.app_id}"

    def _send(self, method: str, path: str, params: dict[str, Any], payload: Any = None) -> dict[str, Any]:
        url = f"{self.base}{path}?{urllib.parse.urlencode(params)}"
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 (the configured https base)
        if body is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data = json.loads(response.read(MAX_ANSWER).decode("utf-8"))
        except (OSError, ValueError) as exc:
            # The exception's text may hold the URL (and so the secret): only its kind is told.
            raise WeChatError(
                None, _("无法连接微信接口（%(kind)s），稍后将重试") % {"kind": type(exc).__name__}
            ) from None
        if not isinstance(data, dict):
            raise WeChatError(47001, error_text(47001))
        code = int(data.get("errcode") or 0)
        if code:
            raise WeChatError(code, error_text(code, str(data.get("errmsg", ""))))
        return data

    def access_token(self, *, fresh: bool = False) -> str:
        if not fresh:
            token = cache.get(self._cache_key)
            if token:
                return token
        params = {"grant_type": "client_credential", "appid": self.credential.app_id}
        params["secret"] = self.credential.app_secret
        data = self._send("GET", "/cgi-bin/token", params)
        token = str(data.get("access_token", ""))
        if not token:
            raise WeChatError(40001, error_text(40001))
        expires_in = int(data.get("expires_in") or 7200)
        cache.set(self._cache_key, token, max(expires_in - TOKEN_MARGIN, 60))
        return token

    def forget_token(self) -> None:
        cache.delete(self._cache_key)

    def call(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` with the cached token; once more with a new token on 40001/42001."""
        for fresh in (False, True):
            token = self.access_token(fresh=fresh)
            try:
                return self._send("POST", path, {"access_token": token}, payload)
            except WeChatError as exc:
                if exc.code in TOKEN_ERRORS and not fresh:
                    self.forget_token()
                    continue
                raise
        raise AssertionError("unreachable")

    def add_draft(self, article: dict[str, Any]) -> str:
        data = self.call("/cgi-bin/draft/add", {"articles": [article]})
        return str(data["media_id"])

    def submit(self, media_id: str) -> str:
        data = self.call("/cgi-bin/freepublish/submit", {"media_id": media_id})
        return str(data["publish_id"])

    def get(self, publish_id: str) -> dict[str, Any]:
        return self.call("/cgi-bin/freepublish/get", {"publish_id": publish_id})

    def delete(self, article_id: str) -> None:
        self.call("/cgi-bin/freepublish/delete", {"article_id": article_id, "index": 0})


def article_of(post: OutletPost, credential: OutletCredential) -> dict[str, Any]:
    """The draft's one article, or ``ValueError`` with the reason WeChat would refuse it."""
    publication = post.publication
    if len(publication.title) > TITLE_MAX:
        raise ValueError(
            _("标题超过微信限制的 %(max)s 个字（现为 %(count)s 个字），请改短后重试。")
            % {"max": TITLE_MAX, "count": len(publication.title)}
        )
    content = publication.body or ""
    if len(content) >= CONTENT_MAX:
        raise ValueError(
            _("正文超过微信限制的 %(max)s 个字符（现为 %(count)s 个），请精简后重试。")
            % {"max": CONTENT_MAX, "count": len(content)}
        )
    return {
        "article_type": "news",
        "title": publication.title,
        "author": (publication.author_name or "")[:16],
        "digest": (publication.summary or "")[:120],
        "content": content,
        "content_source_url": "",
        "thumb_media_id": credential.thumb_media_id,
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
    }


def result_of(info: dict[str, Any]) -> Outcome:
    """The outcome a publish job's status says (from freepublish/get or the pushed event)."""
    try:
        status = int(info.get("publish_status"))
    except (TypeError, ValueError):
        return Outcome.publishing()
    if status == 1:
        return Outcome.publishing(_(STATUS_TEXT[1]))
    if status == 0:
        items = (info.get("article_detail") or {}).get("item") or []
        if isinstance(items, dict):
            items = [items]
        url = next((str(item.get("article_url") or "") for item in items if isinstance(item, dict)), "")
        return Outcome.published(url, _(STATUS_TEXT[0]))
    text = _(STATUS_TEXT.get(status, "未知状态"))
    fail_idx = info.get("fail_idx")
    detail = _("（第 %(idx)s 篇）") % {"idx": ",".join(map(str, fail_idx))} if fail_idx else ""
    return Outcome.failed(
        _("微信发布失败（状态 %(status)s）：%(text)s%(detail)s") % {"status": status, "text": text, "detail": detail}
    )


class WeChatAdapter(Adapter):
    name = "wechat"

    def __init__(self, credential: OutletCredential) -> None:
        self.credential = credential
        self.client = WeChatClient(credential)

    def publish(self, post: OutletPost) -> Outcome:
        try:
            article = article_of(post, self.credential)
        except ValueError as exc:
            return Outcome.failed(str(exc))
        try:
            if not post.external_id:
                post.external_id = self.client.add_draft(article)
            post.job_id = self.client.submit(post.external_id)
        except WeChatError as exc:
            if exc.code == 40007 and post.external_id:
                post.external_id = ""  # the draft is gone: a new one next time
            return Outcome.retry(str(exc)) if exc.passing else Outcome.failed(str(exc))
        return Outcome.publishing(_("微信已受理发布任务（publish_id %(id)s），等待发布结果。") % {"id": post.job_id})

    def poll(self, post: OutletPost) -> Outcome:
        try:
            info = self.client.get(post.job_id)
        except WeChatError as exc:
            return Outcome.retry(str(exc)) if exc.passing else Outcome.failed(str(exc))
        if info.get("article_id"):
            post.article_id = str(info["article_id"])
        return result_of(info)

    def remove(self, post: OutletPost) -> Outcome | None:
        """``POST /cgi-bin/freepublish/delete`` of the published article (all its items)."""
        if not post.article_id:
            return None
        try:
            self.client.delete(post.article_id)
        except WeChatError as exc:
            return Outcome.failed(str(exc))
        return Outcome("withdrawn", _("已调用微信接口删除已发布的文章"))


def credential_of(outlet: Outlet) -> OutletCredential | None:
    from xuanchuan.publishing.models.external import OutletCredential

    try:
        credential = outlet.wechat_credential
    except OutletCredential.DoesNotExist:
        return None
    return credential if credential.enabled else None


def adapter_for_outlet(outlet: Outlet) -> WeChatAdapter | None:
    credential = credential_of(outlet)
    return WeChatAdapter(credential) if credential else None
