"""The volunteers app's paragraphs of the default report template (section 三, after civility's
standards and casework, as the reference orders them): the brands and sites of civilisation
practice, the teams, volunteers, projects and activities (组建新时代文明实践志愿服务队伍×余支，×万余人，
发布×年志愿服务项目，开展各类志愿服务活动×多场次), and the good-deed points (道德信贷)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "volunteers.practice",
    line=3,
    order=60,
    text="扎实推进新时代文明实践中心建设，建成新时代文明实践中心、所、站{{ volunteers.sites }}个，"
    "深化“理论宣讲”“道德信贷”“孝善矩阵”等{{ volunteers.brands }}个文明实践品牌，"
    "让文明实践触角横向到边、纵向到底。",
)
report_paragraph(
    "volunteers.service",
    line=3,
    order=70,
    text="将创建“志愿之城”与新时代文明实践工作相结合，组建新时代文明实践志愿服务队伍{{ volunteers.teams about }}余支，"
    "注册志愿者{{ volunteers.volunteers }}人，其中新注册{{ volunteers.new_volunteers }}人，"
    "发布{{ year }}年志愿服务项目{{ volunteers.projects }}个，"
    "开展各类志愿服务活动{{ volunteers.activities about }}多场次，{{ volunteers.activities change }}，"
    "志愿者参与服务{{ volunteers.participations }}人次，记录志愿服务时长{{ volunteers.service_hours }}小时；"
    "培训志愿者{{ volunteers.trainings }}人次，出具志愿服务记录证明{{ volunteers.certificates }}份。",
)
report_paragraph(
    "volunteers.points",
    line=3,
    order=80,
    text="推行“道德信贷”积分管理，审核通过好人好事{{ volunteers.good_deeds }}件，"
    "发放道德信贷积分{{ volunteers.points_earned }}分，{{ volunteers.points_earned change }}；"
    "群众在积分超市和合作商户兑换{{ volunteers.redemptions }}次，使用积分{{ volunteers.points_redeemed }}分，"
    "以积分“小杠杆”撬动文明“大风尚”。",
)
