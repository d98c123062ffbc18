"""Template-site boilerplate: the maintained list in boilerplate.json plus general rules.

The general rules catch what the list does not name yet: a line that is only a URL or a
promotion, navigation breadcrumbs, page metadata, keyword spam at the top or bottom, forum
anti-scraping filler and runs of rare characters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from bihuan.text.state import Normalised

__all__ = ["DEFAULT_RULES_PATH", "Rules", "default_rules", "drop_boilerplate", "load_rules"]

DEFAULT_RULES_PATH = Path(__file__).with_name("boilerplate.json")

HANZI = re.compile(r"[\u4e00-\u9fff]")
URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9_\-.~/?#=&%+:]+"
    r"|(?<![A-Za-z0-9_@.\-])[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*"
    r"\.(?:com|cn|net|org|cc|top|vip|info|xyz|wang|site|tv|co)(?:\.cn)?"
    r"(?:/[A-Za-z0-9_\-.~/?#=&%+]*)?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_GOVERNMENT = re.compile(r"\.gov(?:\.cn)?\b|\.gov$", re.IGNORECASE)
# A site's name written just before its URL: 笔杆儿网www.… , 来源：某某文库 www.…
_SITE_WORD = re.compile(r"[\u4e00-\u9fff\w]{1,8}(?:网|站|文库|范文|文档|资料|公文)\s*[::]?\s*$")
_SENTENCE_END = re.compile(r"[。!?！？]")
_PAGE_NUMBER = re.compile(
    r"[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
)
_BREADCRUMB_SEPARATOR = re.compile(r"\s*(?:>|»|›)\s*")
_BLOCK_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\(\s*[一二三四五六七八九十\d]+\s*\)|\d+[、.])"
)
# Discuz-style anti-scraping filler: short ASCII runs full of symbols between sentences.
_ASCII_RUN = re.compile(r"[ -~]{8,}")
_JAMMER_SYMBOLS = set("~!@#$%^&*_+=|\\<>'`(),;")
_SPAM_WORD = re.compile(
    r"范文|大全|精选|模板|下载|汇编|合集|最新|材料|心得|体会|总结|讲话|发言|清单"
)
_RARE_RUN = re.compile("[\u3400-\u4dbf\ue000-\uf8ff\U00020000-\U0003134f]{3,}")


@dataclass(frozen=True)
class Rules:
    """The compiled boilerplate list (see boilerplate.json for what each part means)."""

    sites: re.Pattern[str]
    line_starts: re.Pattern[str]
    lines: re.Pattern[str]
    inline: re.Pattern[str]
    promo: re.Pattern[str]
    footer: re.Pattern[str]
    metadata_label: re.Pattern[str]
    strong_labels: frozenset[str]


def _any(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", flags)


def _anchored(pattern: str) -> bool:
    """`^…` with no top-level `|`: it can only match at a line's start."""
    if not pattern.startswith("^"):
        return False
    depth, escaped = 0, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
    return True


def _site(name: str) -> str:
    # Sites disguise their names with spaces ("材 料 君"): tolerate them between characters.
    body = r"\s*".join(re.escape(ch) for ch in name if not ch.isspace())
    # Case-insensitive only where there is a case: it is costly on Chinese text.
    return f"(?i:{body})" if re.search("[a-zA-Z]", name) else body


def load_rules(path: Path = DEFAULT_RULES_PATH) -> Rules:
    """Compile the boilerplate list at `path` (the JSON layout of boilerplate.json)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    labels = sorted(data["metadata_labels"], key=len, reverse=True)
    starts = [p[1:] for p in data["line_patterns"] if _anchored(p)]
    return Rules(
        sites=_any([_site(name) for name in data["sites"]], 0),
        line_starts=_any(starts),
        lines=_any([p for p in data["line_patterns"] if not _anchored(p)]),
        inline=_any(data["inline_patterns"]),
        promo=_any(data["promo_phrases"]),
        footer=_any(data["footer_markers"]),
        metadata_label=re.compile(
            r"(?:^|(?<=[\s|]))(" + "|".join(map(re.escape, labels)) + r")\s*[:]\s*"
        ),
        strong_labels=frozenset(data["strong_metadata_labels"]),
    )


@cache
def default_rules() -> Rules:
    """The maintained list, compiled once per process."""
    return load_rules()


def _is_metadata(line: str, rules: Rules) -> bool:
    """`发布时间: 2023-05-06 浏览量: 1234`: labelled values and nothing else."""
    found = list(rules.metadata_label.finditer(line))
    if not found or HANZI.search(line[: found[0].start()]):
        return False
    labels = [m.group(1) for m in found]
    if len(labels) < 2 and labels[0] not in rules.strong_labels:
        return False
    values = [
        line[m.end() : (found[i + 1].start() if i + 1 < len(found) else len(line))]
        for i, m in enumerate(found)
    ]
    return all(len(value.strip()) <= 30 for value in values)


def _is_breadcrumb(line: str) -> bool:
    parts = _BREADCRUMB_SEPARATOR.split(line)
    return len(parts) >= 3 and all(0 < len(p) <= 16 for p in parts) and "。" not in line


def _is_keyword_spam(line: str) -> bool:
    """A row of search keywords: several space-separated words and no sentence at all."""
    tokens = line.split()
    if len(tokens) < 4 or re.search(r"[。,，;；:：!?]", line):
        return False
    wordy = [t for t in tokens if HANZI.search(t) and len(t) >= 2]
    # An author line (城关镇 党委 副书记 张三) is short and names no kind of document;
    # a keyword row names several.
    listed = sum(bool(_SPAM_WORD.search(t)) for t in tokens)
    return len(wordy) >= 0.75 * len(tokens) and (len(tokens) >= 6 or listed >= 2)


def _site_urls(line: str) -> list[re.Match[str]]:
    """The URLs in a line, but a government address (登录政务服务网 www.gov.cn) is content."""
    if "." not in line:
        return []
    return [url for url in URL.finditer(line) if not _GOVERNMENT.search(url.group(0))]


def _residue(line: str, rules: Rules) -> str:
    """What is left of a line without its URLs, site names and punctuation."""
    for url in reversed(_site_urls(line)):
        line = line[: url.start()] + line[url.end() :]
    return "".join(HANZI.findall(rules.sites.sub("", line)))


def _whole_line(line: str, rules: Rules, *, at_edge: bool) -> bool:
    """Whether the whole line is boilerplate (the content-free lines of a site's page)."""
    if not HANZI.search(line) and not re.search(r"[a-zA-Z0-9]", line):
        return True  # a stray "?" or a rule of dashes
    if _PAGE_NUMBER.fullmatch(line) or rules.line_starts.match(line) or rules.lines.search(line):
        return True
    if _is_metadata(line, rules) or _is_breadcrumb(line):
        return True
    urls = _site_urls(line)
    named = urls[0] if urls else rules.sites.search(line)
    if named:
        if len(_residue(line, rules)) < 12:
            return True
        # A pitch around a site's name with no finished sentence of content before it.
        if rules.promo.search(line) and not _SENTENCE_END.search(line, 0, named.start()):
            return True
    return at_edge and _is_keyword_spam(line)


def _site_spans(line: str, rules: Rules) -> list[tuple[int, int]]:
    spans = []
    for site in rules.sites.finditer(line):
        end = site.end()
        url = URL.match(line, end)
        if url:
            end = url.end()
        # A site name followed by its sales pitch to the end of the sentence: all of it goes.
        sentence_end = _SENTENCE_END.search(line, end)
        stop = sentence_end.end() if sentence_end else len(line)
        tail = line[end:stop]
        if len(tail) <= 40 and (rules.promo.search(tail) or len(tail.strip()) <= 6):
            end = stop
        spans.append((site.start(), end))
    return spans


def _url_spans(line: str) -> list[tuple[int, int]]:
    spans = []
    for url in _site_urls(line):
        word = _SITE_WORD.search(line, 0, url.start())
        spans.append((word.start() if word else url.start(), url.end()))
    return spans


def _jammer_spans(line: str) -> list[tuple[int, int]]:
    spans = []
    for match in _ASCII_RUN.finditer(line):
        # Punctuation that ends the run belongs to the sentence around it.
        run = match.group(0).rstrip(",.;:!?")
        symbols = sum(ch in _JAMMER_SYMBOLS for ch in run)
        if symbols >= 3 and len(set(run.strip())) > 2:
            spans.append((match.start(), match.start() + len(run)))
    return spans


def _promo_spans(line: str, rules: Rules) -> list[tuple[int, int]]:
    """Short sentences that only sell: `作者原创，不允许二次传播，…追究法律责任。`."""
    if _BLOCK_ENUMERATOR.match(line) or not rules.promo.search(line):
        return []
    spans, start = [], 0
    for end in [m.end() for m in _SENTENCE_END.finditer(line)] + [len(line)]:
        if start < end and end - start <= 40 and rules.promo.search(line, start, end):
            spans.append((start, end))
        start = end
    return spans


def _drop_inline(line: str, rules: Rules) -> tuple[str, list[str]]:
    """Remove boilerplate snippets inside a line; returns the line and the snippets in order."""
    spans = sorted(
        _site_spans(line, rules)
        + _url_spans(line)
        + [m.span() for m in rules.inline.finditer(line)]
        + [m.span() for m in _RARE_RUN.finditer(line)]
        + _jammer_spans(line)
        + _promo_spans(line, rules)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif end > start:
            merged.append((start, end))
    removed = [line[start:end].strip() for start, end in merged]
    for start, end in reversed(merged):
        line = line[:start] + line[end:]
    return line, [snippet for snippet in removed if snippet]


def drop_boilerplate(state: Normalised, *, rules: Rules | None = None) -> Normalised:
    """Remove template-site boilerplate lines and snippets; report each one removed.

    A line goes whole when it is a known boilerplate line, content-free (only punctuation,
    a page number, metadata, a breadcrumb, a URL or site name with little else, a short
    promotion, keyword spam in the first or last three lines), or part of a site footer.
    Inside content lines, site names with their URLs, bare URLs, paywall markers, forum
    filler and runs of rare characters are cut out. Line structure is otherwise kept.
    """
    rules = rules or default_rules()
    lines = state.text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = set(filled[:3] + filled[-3:])
    footer_from = filled[len(filled) * 2 // 3] if filled else 0
    kept: list[str] = []
    removed = list(state.removed)
    in_footer = False
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            kept.append("")
            continue
        if in_footer and (len(line) <= 60 or rules.promo.search(line)):
            removed.append(line)
            continue
        in_footer = False
        if index >= footer_from and rules.footer.search(line):
            in_footer = True
            removed.append(line)
            continue
        if _whole_line(line, rules, at_edge=index in edges):
            removed.append(line)
            continue
        line, snippets = _drop_inline(line, rules)
        removed += [s for s in snippets if s]
        if HANZI.search(line) or re.search(r"[a-zA-Z0-9]", line):
            kept.append(line.strip())
    return Normalised("\n".join(kept), tuple(removed))


def drop_promo_tails(state: Normalised, *, rules: Rules | None = None) -> Normalised:
    """Remove a paragraph's unfinished tail that is a promotion (`…潮头。会员价格限时优惠中`).

    Runs after hard wraps are joined, when a line's end is the end of a paragraph.
    """
    rules = rules or default_rules()
    removed = list(state.removed)
    paragraphs = []
    for paragraph in state.text.split("\n"):
        ends = list(_SENTENCE_END.finditer(paragraph))
        if ends:
            tail = paragraph[ends[-1].end() :]
            if tail.strip() and len(tail) <= 40 and rules.promo.search(tail):
                removed.append(tail.strip())
                paragraph = paragraph[: ends[-1].end()]
        paragraphs.append(paragraph)
    return replace(state, text="\n".join(paragraphs), removed=tuple(removed))
