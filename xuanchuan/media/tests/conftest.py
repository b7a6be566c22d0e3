"""Fixtures of the media tests: uploads go to a temporary directory; export files in the
platforms' layouts (the reference's fixture rows)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xuanchuan.media import services
from xuanchuan.media.models import Account, Campaign, Platform

FILES = Path(__file__).parent / "files"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

WECHAT_HEADER = (
    "内容标题,发表时间,总阅读人数,总阅读次数,总分享人数,总分享次数,阅读后关注人数,送达人数,公众号消息阅读次数,"
    "送达阅读率,首次分享次数,分享产生阅读次数,首次分享率,每次分享带来阅读次数,阅读完成率,内容url"
)
WECHAT_ROWS = (
    "区融媒体中心召开年度工作会,20240311,1200,1530,45,60,8,21000,840,0.04,30,310,0.0357,5.1667,0.5821,https://mp.weixin.qq.com/s/TEST1",
    "春季植树志愿活动报名开始,20240312,560,610,12,15,2,21010,402,0.0191,9,88,0.0224,5.8667,0.7102,https://mp.weixin.qq.com/s/TEST2",
    "🌸清明诗会邀您参加,20240404,2301,2877,130,171,21,21055,1105,0.0525,77,1020,0.0697,5.9649,0.441,https://mp.weixin.qq.com/s/TEST3",
)
DOUYIN_HEADER = ",".join(
    (
        "作品名称,发布时间,体裁,审核状态,播放量,完播率,5s完播率,封面点击率",
        "2s跳出率,平均播放时长,点赞量,分享量,评论量,收藏量,主页访问量,粉丝增量",
    )
)
DOUYIN_ROWS = (
    "区图书馆新馆开放 周末免费参观,2024-03-11 18:30:05,1-3min视频,公开,5230,0.031,0.41,-,0.34,21.5,188,25,19,40,62,7",
    "一图读懂 区政府工作报告,2024-03-12 09:00:00,图文,公开,12040,0.215,-,-,-,-,402,88,36,120,131,15",
    "非遗剪纸进校园,2024-03-13 20:15:41,1-3min视频,公开,860,0.012,0.38,0.062,0.37,14.2,21,2,3,4,6,0",
)
USERS_ROWS = (("2024-03-11", 35, 12, 23, 21034), ("2024-03-12", 18, 9, 9, 21043), ("2024-03-13", 41, 30, 11, 21054))


def csv_bytes(header: str, rows: tuple[str, ...] | list[str], encoding: str = "utf-8-sig") -> bytes:
    return "\n".join([header, *rows]).encode(encoding)


def users_html(rows=USERS_ROWS) -> bytes:
    """WeChat 用户增长 as the platform serves it: an HTML table in a file named .xls."""
    cells = "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in row)}</tr>" for row in rows)
    head = "".join(f"<th>{h}</th>" for h in ("时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数"))
    return (
        f'<html><head><meta charset="utf-8"></head><body><table><tr>{head}</tr>{cells}</table></body></html>'.encode()
    )


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def wechat(district, bob) -> Account:
    return services.create_account(unit=district.east, name="东城发布", platform=Platform.WECHAT, by=bob)


@pytest.fixture
def douyin(district, bob) -> Account:
    return services.create_account(unit=district.east, name="东城抖音", platform=Platform.DOUYIN, by=bob)


@pytest.fixture
def campaign(district, alice) -> Campaign:
    return services.create_campaign(name="新冠肺炎疫情防控宣传", starts_on=date(2024, 1, 1), by=alice)
