import pytest

from bihuan.text.punctuation import cjk_punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("学习不深,理解不透;运用不够。", "学习不深，理解不透；运用不够。"),
        ("主要问题:一是学习不够", "主要问题：一是学习不够"),
        ("村(社区)两委", "村（社区）两委"),
        ("投入1,000万元,完成80%", "投入1,000万元，完成80%"),
        ("见 www.example.com:8080 页面", "见 www.example.com:8080 页面"),
        ("版本(v2.1)", "版本(v2.1)"),
    ],
)
def test_punctuation_next_to_hanzi_becomes_full_width(text, expected):
    assert cjk_punctuation(text) == expected
