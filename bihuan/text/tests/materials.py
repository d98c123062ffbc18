"""Materials written for these tests in the genres cadres submit, with what real ones throw at
an extractor: different section wordings, every numbering level, inline 一是/二是, web copies
with watermarks, traditional characters, hard wraps, tables, several articles on one page."""

# 对照检查材料: plain unnumbered section names, half-width (一), `1、` items, a (一) heading
# that states a problem with 一是/二是 under it, achievements listed before the problems.
CHECK = """\
2024年度组织生活会个人对照检查材料

按照支部统一安排，本人围绕会议主题，认真查摆自身问题，现报告如下。

存在的问题
(一)理论学习不够深入。一是学习缺乏系统性，满足于参加集中学习，个人自学时间少。二是学用结合不紧，用理论指导乡村振兴工作的能力还有欠缺。
(二)服务群众不够主动。一是下村走访次数偏少，对群众急难愁盼问题掌握不全面。二是办事效率不高，个别事项一拖再拖。
产生问题的原因
1、理想信念有所松懈。放松了对主观世界的改造，把理论学习当成软任务。
2、宗旨意识有所淡化。对群众感情不够深厚，主动服务的意识不强。
整改措施
1、坚持每周自学不少于5小时，每月撰写一篇学习体会。
2、每月到联系村走访不少于4天，建立群众诉求台账，做到件件有回音。
以上是我的对照检查，不妥之处请大家批评指正。
"""

# 发言提纲: achievements as 一是/二是 before the problems in the same section, causes worded
# as 根源, measures as 努力方向 with 首先/其次 inline.
OUTLINE_SPEECH = """\
专题民主生活会个人发言提纲
一、查找的差距和不足
一年来，在组织的培养下，自己在政治上、工作上都有一定进步：一是政治站位有提升，二是业务能力有提高。但对照新要求，还存在以下不足：一是调查研究不深入，到基层蹲点调研的时间少，掌握情况不够全面；二是攻坚克难劲头不足，遇到矛盾有时绕着走；三是廉洁自律要求不严，对身边人管得不够紧。
二、问题根源
主要是党性修养有所放松，群众观点有所淡化。
三、努力方向
首先，加强党性锻炼，每季度对照党章党规检视一次自身言行。其次，扑下身子抓落实，每月蹲点调研不少于5天。最后，严守廉洁底线，管好家属和身边工作人员。
"""

# 研讨材料 with no problems / causes / measures section at all.
STUDY = """\
关于推进作风建设的研讨发言
近期，我认真学习了关于作风建设的有关规定，深受教育。
一要树牢效率意识。今日事今日毕，任务一布置，马上抓落实。
二要强化担当精神。面对困难不推诿，面对矛盾不回避。
三要改进工作方法。坚持一线工作法，在一线发现问题、解决问题。
"""

# A speech that names problems inline but has no problems section: nothing to extract.
SPEECH = """\
同志们：
今天召开这次会议，主要是动员部署作风建设年活动。
一、提高认识，增强开展活动的自觉性
当前，我们干部队伍中还存在一些问题：一是有的同志安于现状，满足于过得去；二是有的同志作风漂浮，工作不深入。这些问题必须引起高度重视。
二、突出重点，确保活动取得实效
要抓好学习、查摆、整改三个环节，确保活动不走过场。
"""

# A summary whose problems sit in a paragraph of a section about them, followed by what was
# done about them, then a closing paragraph.
SUMMARY = """\
今年以来，我镇扎实开展作风建设年活动，现将活动开展情况总结如下：
一、精心组织，营造氛围
镇党委召开专题会议研究部署，制定实施方案，明确责任分工。
二、直面短板，推动整改
在活动中，我镇干部存在的主要问题有：一是服务意识不强，群众办事有时要跑多次；二是工作标准不高，满足于完成上级布置的任务。
针对存在的问题，镇党委建立问题清单和整改台账，逐项明确责任人和整改时限，实行销号管理。
下一阶段，我们将持续巩固活动成果，推动作风建设常态长效。
"""

# 整改方案 whose problems, causes and measures are the rows of a table.
PLAN_TABLE = """\
县直机关作风问题整改方案
为抓好问题整改，制定本方案。
序号 | 问题类别 | 存在问题 | 原因分析 | 整改措施 | 完成时限
1 | 工作作风 | 文件办理时间过长 | 审核环节过多 | 压缩审核环节，实行限时办结 | 2024年6月底前
2 | 服务群众 | 窗口排队时间长 | 窗口设置不足 | 增设综合窗口，推行预约办理 | 长期坚持
"""

# A web copy in traditional characters with pinyin left by a broken conversion, site
# metadata, a breadcrumb, a watermark inside a paragraph, a paywall line and a footer.
WEB_COPY = """\
當前位置：首頁 > 範文大全 > 剖析材料
發布時間：2023-11-05 瀏覽量：2381
個人剖析材料
一、存在的問題
(一)在工作作風方面。一是深入基層不夠，到村(社區)走訪次數偏少，對群眾反映的問題研究不夠；二是落實《考核辦法(試行)》不夠到位，鎮(zhèn)上佈置的任務有時推(tuī)一推才動一動。範文先生網www.fwsir.com
(二)在廉潔自律方面。一是對身邊人要求不嚴。二是執行財務制度不夠嚴格。
二、整改措施
一是每月到聯繫村走訪不少於4天。此處隱藏3580字，二是嚴格執行財務審批制度。
版權聲明：本站文章均來自網絡，如有侵權請聯繫刪除。
聯繫客服
"""

# Text taken from a PDF: lines hard-wrapped at the page width, page numbers between pages.
PDF_WRAPPED = """\
关于巡察反馈问题的整改情况报告
一、存在的突出问题
（一）在落实意识形态工作责任制方面，对意识形态领域的新情况新问题
研究不够，分析研判会议召开不及时，对网络舆情的处置能力还有待加强。
（二）在基层党组织建设方面，个别村党组织组织生活不规范，“三会一课”
记录不完整，发展党员程序不够严谨，党员教育管理工作有待进一步加强。

- 2 -

（三）在作风建设方面，部分干部深入群众不够，存在“坐等上门”的现象，
对群众反映的问题回应不够及时。
二、整改措施
（一）每季度召开一次意识形态工作分析研判会议。
（二）规范“三会一课”记录，年底前完成全镇村级党组织档案整理。
"""

# A page with a table of contents before the body.
WITH_CONTENTS = """\
目录
一、存在的问题
二、原因分析
三、整改措施
一、存在的问题
（一）学习上浮于表面，满足于学过了、读过了。
（二）工作上标准不高，满足于过得去、不出错。
二、原因分析
主要是理论武装不够、宗旨意识淡化。
三、整改措施
（一）制定个人学习计划，每月读一本理论书籍。
（二）对标先进找差距，每季度对照一次工作目标。
"""

# Several articles on one page, from a template site.
TWO_ARTICLES = """\
【第一篇】党员个人剖析材料
一、存在的问题
（一）学习不够主动，满足于完成规定动作。
（二）服务意识不强，对群众诉求回应慢。
二、整改措施
（一）每天学习一小时，做好学习笔记。
【第二篇】党员个人剖析材料
一、存在的问题
（一）工作缺乏创新，习惯按老办法办事。
二、整改措施
（一）主动学习先进经验，每季度提出一条改进建议。
"""

# A document cut off mid-sentence by a site's download limit.
CUT_OFF = """\
个人检视剖析材料
一、检视出的问题
1.担当作为不够。面对急难险重任务，有时存在畏难情绪，主动请缨少。
2.调查研究不深。下基层调研的时间不多，调研成果转化不够，对一些
"""
