"""The culture app's paragraphs of the default report template: section 五 (文化惠民 events and
series, study trips and reading at the venues, competitions and recommended contestants, calls for
works, local-product videos, holiday tourism with its year-on-year change, raw and per holiday day)
and section 六 (arts associations established and in preparation, the venues under management),
written as the reference report writes them.

The holiday figures take the holiday as their argument; the default template speaks of 劳动节 and
国庆节 as such reports do. The events of one named series (``culture.series_events(名称)``) are
not in the default template — a district's series have its own names — and are bound when a report
that names them is imported."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "culture.events",
    line=5,
    order=10,
    text="持续开展文化惠民进万家活动，全年开展文化活动{{ culture.events }}场次，同比{{ culture.events change }}，"
    "参与群众{{ culture.event_audience }}人次；组织开展迎新春等系列活动{{ culture.series }}个，"
    "开展“红色文艺轻骑兵”送文化下乡{{ culture.countryside_events }}场次，"
    "“百姓文化大舞台”{{ culture.stage_events }}场次。"
    "依托区图书馆、区博物馆等文化阵地开展活动{{ culture.venue_events }}场次，"
    "其中研学活动{{ culture.study_trips }}场次、阅读推广活动{{ culture.reading_events }}场次。",
)
report_paragraph(
    "culture.contests",
    line=5,
    order=20,
    text="举办阅读、演讲等比赛{{ culture.competitions }}场，参赛选手{{ culture.contestants }}名，"
    "选拔推荐{{ culture.contestants_recommended }}名选手参加上级比赛。"
    "面向群众开展剪纸、沙画、书画等作品征集{{ culture.calls_for_works }}次，收到作品{{ culture.works_received }}件，"
    "入选作品{{ culture.works_accepted }}件，网上展出作品{{ culture.works_shown }}件。"
    "组织开展“我为家乡特产代言”活动{{ culture.product_campaigns }}次，拍摄制作代言短片{{ culture.product_videos }}部，"
    "通过学习强国、抖音、快手等平台广泛宣传推介，代言短片播放量{{ culture.product_video_views }}次，"
    "有效提升了特产的知名度和销量。",
)
report_paragraph(
    "culture.tourism",
    line=5,
    order=30,
    text="据统计，五一小长假，全区旅游人数{{ culture.holiday_visitors(劳动节) wan }}万人次，"
    "同比{{ culture.holiday_visitors(劳动节) change }}"
    "（按日均可比口径{{ culture.holiday_visitors_per_day(劳动节) change }}）；"
    "旅游综合收入{{ culture.holiday_revenue(劳动节) wan }}万元，同比{{ culture.holiday_revenue(劳动节) change }}"
    "（按日均可比口径{{ culture.holiday_revenue_per_day(劳动节) change }}）。"
    "国庆假期，全区旅游人数{{ culture.holiday_visitors(国庆节) wan }}万人次，"
    "同比{{ culture.holiday_visitors(国庆节) change }}"
    "（按日均可比口径{{ culture.holiday_visitors_per_day(国庆节) change }}）；"
    "旅游综合收入{{ culture.holiday_revenue(国庆节) wan }}万元，同比{{ culture.holiday_revenue(国庆节) change }}"
    "（按日均可比口径{{ culture.holiday_revenue_per_day(国庆节) change }}）。"
    "全年节假日接待游客{{ culture.tourism_visitors wan }}万人次，"
    "全年节假日旅游综合收入{{ culture.tourism_revenue wan }}万元，"
    "文化旅游融合发展进一步推进。",
)
report_paragraph(
    "culture.associations",
    line=6,
    order=50,
    text="切实加强对文艺团体和文艺工作者的管理，稳步推进文艺协会成立工作，"
    "目前已成立文艺协会{{ culture.associations_established }}个、会员{{ culture.association_members }}名，"
    "{{ culture.associations_preparing }}个协会正在积极筹备，各协会开展活动{{ culture.association_events }}场次。"
    "加强对图书馆、文化馆、博物馆以及基层文化服务中心、文化大院等{{ culture.venues }}个文化阵地的管理，"
    "其中文化大院{{ culture.courtyards }}个、农家书屋{{ culture.bookshops }}个。",
)
