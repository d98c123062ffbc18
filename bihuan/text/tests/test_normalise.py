import json

from bihuan.text.boilerplate import DEFAULT_RULES_PATH, load_rules
from bihuan.text.normalise import normalise


def test_full_width_forms_become_half_width_and_circled_numbers_stay():
    cleaned = normalise("（一）ＸＸ县２０２４年，①加强学习；②改进作风")

    assert cleaned.text == "(一)XX县2024年,①加强学习;②改进作风"


def test_traditional_characters_become_simplified():
    cleaned = normalise("對照檢查發現，幹部隊伍作風建設還存在薄弱環節。")

    assert cleaned.text == "对照检查发现,干部队伍作风建设还存在薄弱环节。"


def test_pinyin_left_by_a_broken_conversion_goes_and_real_brackets_stay():
    cleaned = normalise(
        "*縣*鎮(zhèn)以思想解放為引領(lǐng)，鎮（zhen）上各村(社區)執行《辦法(試行)》（2023年），"
        "推進人工智能(AI)應用，建立app(應用)台賬。"
    )

    assert cleaned.text == (
        "*县*镇以思想解放为引领,镇上各村(社区)执行《办法(试行)》(2023年),"
        "推进人工智能(AI)应用,建立app(应用)台账。"
    )
    assert cleaned.removed == ()


def test_a_watermark_inside_a_paragraph_goes_and_the_sentence_around_it_stays():
    cleaned = normalise("四要强化责任心。范文先生网www.fwsir.com部分干部存在“不求上进”的情况。")

    assert cleaned.text == "四要强化责任心。部分干部存在“不求上进”的情况。"
    assert cleaned.removed == ("范文先生网www.fwsir.com",)


def test_template_site_lines_are_removed_and_reported():
    cleaned = normalise(
        "下面是小编为大家整理的个人剖析材料，供大家参考。\n"
        "个人剖析材料\n"
        "一、存在的问题\n"
        "学习不够深入。\n"
        "扫码关注公众号，获取更多范文\n"
        "推荐访问：剖析材料 对照检查 民主生活会\n"
        "版权声明\n"
        "本站部分内容来自网络\n"
        "联系客服"
    )

    assert cleaned.text == "个人剖析材料\n一、存在的问题\n学习不够深入。"
    assert cleaned.removed == (
        "下面是小编为大家整理的个人剖析材料,供大家参考。",
        "扫码关注公众号,获取更多范文",
        "推荐访问:剖析材料 对照检查 民主生活会",
        "版权声明",
        "本站部分内容来自网络",
        "联系客服",
    )


def test_paywall_markers_are_removed_wherever_they_stand():
    cleaned = normalise(
        "一是加强学习。此处隐藏2361字\n##paidbegin##\n二是改进作风。\n（全文约5000字，请下载后阅读）"
    )

    assert cleaned.text == "一是加强学习。\n二是改进作风。"
    assert cleaned.removed == ("此处隐藏2361字", "##paidbegin##", "(全文约5000字,请下载后阅读)")


def test_page_metadata_and_breadcrumbs_are_removed_but_a_meeting_date_stays():
    cleaned = normalise(
        "当前位置：首页 > 范文大全 > 心得体会\n"
        "发布时间：2023-05-06 浏览量：1234\n"
        "文档格式：DOCX 页数：5页 上传人：wang\n"
        "时间：2023年5月6日\n"
        "会议听取了各支部的汇报。"
    )

    assert cleaned.text == "时间:2023年5月6日\n会议听取了各支部的汇报。"
    assert len(cleaned.removed) == 3


def test_keyword_spam_at_the_top_is_removed():
    cleaned = normalise(
        "剖析材料范文 对照检查材料 个人剖析材料大全 查摆问题清单\n个人剖析材料\n一、存在的问题"
    )

    assert cleaned.text == "个人剖析材料\n一、存在的问题"


def test_forum_filler_and_runs_of_rare_characters_are_removed():
    cleaned = normalise(
        "本帖最后由 admin 于 2023-5-6 10:20 编辑\n学习不深入9 z4 _2 S. z( m, R*,理解不透䶮䶴䶵。"
    )

    assert cleaned.text == "学习不深入,理解不透。"
    assert cleaned.removed == (
        "本帖最后由 admin 于 2023-5-6 10:20 编辑",
        "9 z4 _2 S. z( m, R*",
        "䶮䶴䶵",
    )


def test_masked_words_are_left_as_they_are():
    cleaned = normalise("*曾指出，要学好____理论，**同志作了发言。")

    assert cleaned.text == "*曾指出,要学好____理论,**同志作了发言。"


def test_lines_wrapped_mid_sentence_are_joined_and_real_breaks_stay():
    cleaned = normalise(
        "个人剖析材料\n"
        "一、存在的问题\n"
        "对照新时代好干部标准，自己在理论学习、担当作为、作风建设等方面还有差距，领导班子\n"
        "成员之间谈心谈话不够经常。\n"
        "同志们：\n"
        "今天召开会议。"
    )

    assert cleaned.text == (
        "个人剖析材料\n"
        "一、存在的问题\n"
        "对照新时代好干部标准,自己在理论学习、担当作为、作风建设等方面还有差距,领导班子"
        "成员之间谈心谈话不够经常。\n"
        "同志们:\n"
        "今天召开会议。"
    )


def test_pdf_lines_wrapped_at_the_page_width_are_joined_across_a_page_break():
    line = "对意识形态领域的新情况新问题研究不够分析研判会议召开不及时"
    cleaned = normalise(
        f"一、存在的问题\n{line}\n{line}\n{line}\n\n- 2 -\n\n{line}\n{line}\n对网络舆情处置不力。\n"
        "二、整改措施"
    )

    assert cleaned.text == f"一、存在的问题\n{line * 5}对网络舆情处置不力。\n二、整改措施"
    assert cleaned.removed == ("- 2 -",)


def test_chunk_numbers_inserted_mid_sentence_are_removed():
    body = "学习的系统性不强,对新思想的理解停留在表面,学用结合还不够紧密,运用理论指导工作的能力还需要提高,特别是在推动乡村振兴"
    cleaned = normalise(f"(一)理论学习方面。{body}\n2、工作中运用不够。\n3、\n(二)工作作风方面。")

    assert cleaned.text == f"(一)理论学习方面。{body}工作中运用不够。\n(二)工作作风方面。"
    assert cleaned.removed == ("2、", "3、")


def test_a_first_item_after_an_unfinished_introduction_is_not_a_chunk_number():
    intro = "一年来,在组织的培养和同志们的帮助下,自己在思想和工作上都有进步,但对照要求还存在一些不足,主要表现在以下几个方面"
    cleaned = normalise(f"{intro}\n1、学习不够深入。\n2、作风不够扎实。")

    assert cleaned.text == f"{intro}\n1、学习不够深入。\n2、作风不够扎实。"


def test_a_promotional_tail_of_a_paragraph_goes_and_its_content_stays():
    paragraph = "作为新时代年轻干部,要不断总结经验,勇立时代潮头。"
    cleaned = normalise(f"{paragraph}材 料 君文库会员价格限时优惠中，每天更新")

    assert cleaned.text == paragraph
    assert cleaned.removed == ("材 料 君文库会员价格限时优惠中,每天更新",)


def test_a_new_template_site_is_caught_by_its_url_and_sales_pitch_before_it_is_listed():
    cleaned = normalise(
        "强化责任担当。\n更多精彩范文请访问 www.newsite.top\n新站文库VIP会员限时优惠"
    )

    assert cleaned.text == "强化责任担当。"
    assert cleaned.removed == ("更多精彩范文请访问 www.newsite.top", "新站文库VIP会员限时优惠")


def test_the_boilerplate_list_is_extended_by_editing_its_data_file(tmp_path):
    data = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    data["sites"].append("清风范文")
    extended = tmp_path / "boilerplate.json"
    extended.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    text = "四要强化责任心。清 风 范 文部分干部存在“不求上进”的情况。"

    assert normalise(text).text == "四要强化责任心。清 风 范 文部分干部存在“不求上进”的情况。"
    cleaned = normalise(text, rules=load_rules(extended))
    assert cleaned.text == "四要强化责任心。部分干部存在“不求上进”的情况。"
    assert cleaned.removed == ("清 风 范 文",)


def test_a_short_sentence_that_only_sells_goes_and_the_content_beside_it_stays():
    cleaned = normalise("加强学习。作者原创，转载请注明出处。改进作风。")

    assert cleaned.text == "加强学习。改进作风。"
    assert cleaned.removed == ("作者原创,转载请注明出处。",)


def test_a_government_address_and_an_author_line_are_content():
    text = "城关镇 党委 副书记 张三\n登录政务服务网www.gov.cn办理。"

    cleaned = normalise(text)

    assert cleaned.text == text
    assert cleaned.removed == ()
