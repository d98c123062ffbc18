import datetime as dt
import io

import pytest
from docx import Document as Docx

from bihuan.audit.models import AuditEntry
from bihuan.errors import DomainError, NotAllowed
from bihuan.streamlining.models import Document, Meeting, MeetingKind, MeetingLevel, Target
from bihuan.streamlining.services import (
    MeetingSpec,
    TargetSpec,
    document_register,
    meeting_register,
    target_set,
    text_chars,
)

D = dt.date
NOTICE = "关于开展作风建设专项整治的通知\n\n各村（社区）：\n  现将有关事项通知如下。\n"


def _meeting(world, **fields) -> MeetingSpec:
    return MeetingSpec(
        **{
            "unit": world.chengguan,
            "held_on": D(2024, 9, 20),
            "title": "全镇作风建设推进会",
            "kind": MeetingKind.WORK,
            "level": MeetingLevel.TOWNSHIP,
            "minutes": 50,
            "attendees": 40,
            "merged": True,
            **fields,
        }
    )


def test_a_handler_registers_a_meeting_of_the_unit(world, now):
    meeting = meeting_register(spec=_meeting(world), by=world.li, now=now)

    assert (meeting.unit, meeting.minutes, meeting.merged, meeting.by_video) == (
        world.chengguan,
        50,
        True,
        False,
    )
    entry = AuditEntry.objects.get(object_type="streamlining.meeting")
    assert entry.changes["after"]["title"] == "全镇作风建设推进会"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"minutes": 0}, "会议时长应在 1 到 1440 分钟之间。"),
        ({"title": " "}, "请填写会议名称。"),
        ({"held_on": D(2024, 9, 24)}, "召开日期晚于今天"),
        ({"level": "province"}, "未知的会议级别“province”。"),
    ],
)
def test_a_meeting_that_cannot_be_is_refused(world, now, fields, message):
    with pytest.raises(DomainError, match=message):
        meeting_register(spec=_meeting(world, **fields), by=world.li, now=now)

    assert not Meeting.objects.exists()


def test_another_townships_meetings_and_a_cadres_are_refused(world, now):
    with pytest.raises(DomainError, match="“城关镇”不在您的管理范围内。"):
        meeting_register(spec=_meeting(world), by=world.wang, now=now)
    with pytest.raises(NotAllowed, match="只有承办人或督查员可以登记会议。"):
        meeting_register(spec=_meeting(world), by=world.sun, now=now)

    assert not Meeting.objects.exists()


def test_a_documents_length_is_read_from_its_file_whitespace_aside(world, now):
    document = document_register(
        unit=world.chengguan,
        number="城发〔2024〕15号",
        title="",
        issued_on=D(2024, 9, 20),
        data=NOTICE.encode("gb18030"),
        filename="通知.txt",
        by=world.li,
        now=now,
    )

    assert document.chars == text_chars(NOTICE) == 33
    assert document.title == "关于开展作风建设专项整治的通知"
    assert document.file.read() == NOTICE.encode("gb18030")
    assert (
        AuditEntry.objects.get(object_type="streamlining.document").changes["after"]["chars"] == 33
    )


def test_a_word_documents_length_is_its_text(world, now):
    docx = Docx()
    docx.add_paragraph("关于精简会议的通知")
    docx.add_paragraph("一、严格控制会议数量。")
    out = io.BytesIO()
    docx.save(out)

    document = document_register(
        unit=world.chengguan,
        number="城发〔2024〕16号",
        title="关于精简会议的通知",
        issued_on=D(2024, 9, 20),
        data=out.getvalue(),
        filename="通知.docx",
        by=world.li,
        now=now,
    )

    assert document.chars == 20


def test_a_number_used_twice_or_an_unreadable_file_is_refused(world, now):
    def register(number, data, filename="通知.txt"):
        return document_register(
            unit=world.chengguan,
            number=number,
            title="",
            issued_on=D(2024, 9, 20),
            data=data,
            filename=filename,
            by=world.li,
            now=now,
        )

    register("城发〔2024〕15号", NOTICE.encode())

    with pytest.raises(DomainError, match="城关镇已登记文号“城发〔2024〕15号”的发文。"):
        register("城发〔2024〕15号", NOTICE.encode())
    with pytest.raises(DomainError, match="文件里只有空白"):
        register("城发〔2024〕16号", b"   \n")
    with pytest.raises(DomainError):
        register("城发〔2024〕17号", b"\x89PNG\r\n\x1a\n" + bytes(64), filename="图.png")
    assert Document.objects.count() == 1


def test_a_supervisor_sets_a_units_targets_and_corrects_them(world, now):
    target_set(
        spec=TargetSpec(world.county, 2024, documents_cut_percent=30, meeting_max_minutes=90),
        by=world.zhou,
        now=now,
    )
    target_set(
        spec=TargetSpec(world.county, 2024, documents_cut_percent=20), by=world.zhou, now=now
    )

    target = Target.objects.get()
    assert (target.documents_cut_percent, target.meeting_max_minutes) == (20, None)
    change = AuditEntry.objects.filter(object_type="streamlining.target").order_by("seq").last()
    change = change.changes
    assert change["before"]["documents_cut_percent"] == 30


def test_a_target_outside_scope_or_beyond_a_hundred_percent_is_refused(world, now):
    with pytest.raises(DomainError, match="“青山县”不在您的管理范围内。"):
        target_set(spec=TargetSpec(world.county, 2024, 30), by=world.qian, now=now)
    with pytest.raises(DomainError, match="减少比例应在 0 到 100 之间。"):
        target_set(spec=TargetSpec(world.county, 2024, 130), by=world.zhou, now=now)
    with pytest.raises(NotAllowed):
        target_set(spec=TargetSpec(world.chengguan, 2024, 30), by=world.li, now=now)

    assert not Target.objects.exists()
