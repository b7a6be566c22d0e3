"""The theory app's paragraphs of the default report template (section 一, 强化理论武装): the
central study group's sessions and discussions (举办区委理论学习中心组学习会议×场次，集中研讨交流×次),
the four levels of lecture teams and their lectures, and the cloud classroom open at every hour
(打造×小时不打烊的理论宣讲“云课堂”), written as the reference report writes them."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "theory.study",
    line=1,
    order=10,
    text="充分发挥区委理论学习中心组的引领作用，把习近平新时代中国特色社会主义思想作为核心课，制定学习计划、改进学习方式。"
    "今年以来，举办区委理论学习中心组学习会议{{ theory.center_group_sessions }}场次，"
    "集中研讨交流{{ theory.center_group_discussions }}次，专题辅导报告{{ theory.center_group_tutorials }}场，"
    "学习计划完成率{{ theory.plan_completion }}%，中心组学习出席率{{ theory.attendance_rate }}%，"
    "请假成员补学{{ theory.makeups }}人次；带动各级理论学习中心组学习{{ theory.study_sessions }}场次，"
    "{{ theory.study_sessions change }}。",
)
report_paragraph(
    "theory.lectures",
    line=1,
    order=20,
    text="组建专家领导讲理论、干部职工讲政策、党员群众讲故事、“红色文艺轻骑兵”"
    "四级宣讲队伍{{ theory.lecture_teams }}支，"
    "宣讲员{{ theory.lecturers }}名，分领域、分层次、分行业开展宣讲活动{{ theory.lectures }}场次，"
    "{{ theory.lectures change }}，受众{{ theory.lecture_audience }}人次，"
    "在“孝善宴”“德润生日会”等群众聚集的时机开展宣讲，完成群众点单宣讲{{ theory.lecture_requests_done }}场。",
)
report_paragraph(
    "theory.classroom",
    line=1,
    order=30,
    text="把各类宣讲活动录制成微视频，开展“微宣讲”，进行“微传播”，"
    "打造{{ theory.classroom_open_hours }}小时不打烊的理论宣讲“云课堂”，"
    "上线微视频、音频{{ theory.classroom_items }}个，播放{{ theory.plays }}次，{{ theory.plays change }}，"
    "观看人数{{ theory.viewers }}人，观看时长{{ theory.watch_hours }}小时，"
    "随时随地为群众答疑解惑，答疑{{ theory.questions_answered }}条。",
)
