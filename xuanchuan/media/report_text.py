"""This app's paragraphs of the default report template (section 二, after the reference's wording)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "media.coverage",
    line=2,
    order=20,
    text="积极对接中央和省市主流媒体，全方位向外推介展示{{ district_short }}形象，"
    "累计在省、市主流媒体发表新闻稿件{{ media.press_articles about }}多篇，"
    "在{{ district_short }}广播电视台综合频道播出本地栏目{{ media.tv_episodes }}期。",
)
report_paragraph(
    "media.new_media",
    line=2,
    order=40,
    text="充分发挥新媒体快、准、深的传播优势，及时发布权威信息，"
    "微信公众号发布信息{{ media.wechat_posts about }}多条，点击量达{{ media.wechat_reads wan }}万人次，"
    "抖音发布短视频{{ media.douyin_videos }}条，点击量{{ media.douyin_plays wan }}万人次。",
)
report_paragraph(
    "media.campaign_material",
    line=2,
    order=60,
    text="发动各部门单位、沿街商铺等{{ media.led_screens about }}余块LED显示屏、"
    "{{ media.big_screens }}块大型电子显示屏、{{ media.ad_machines }}台楼宇广告机持续播放宣传标语、视频，"
    "印制宣传横幅{{ media.banners about }}余条、宣传车贴{{ media.car_stickers wan }}万条，"
    "发放宣传彩页{{ media.leaflets wan }}万余份，发送疫情防控短信{{ media.sms wan }}万条。",
)
