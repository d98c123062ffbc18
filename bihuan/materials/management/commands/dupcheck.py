"""bihuan dupcheck [--against DIR] [--format json|text] FILE…: 查重 of files on disk.

Against the reference library and every uploaded material (the pool), or with --against against
the files under DIR alone, compared in memory without touching the database. JSON is one object
per file, a line each:

    {"file", "markers": [{"pattern", "line", "text"}], "copy_ratio",
     "matches": [{"source", "similarity", "overlap_chars",
                  "spans": [{"start", "end", "source_start", "source_end"}]}]}

Offsets are into the normalised texts; `similarity` is the share of the file's content
characters found in that source (the 复制比 against it alone), `copy_ratio` against all of them.
"""

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bihuan.errors import DomainError
from bihuan.materials.management.files import files_under, read_text
from bihuan.text.dupcheck import KINDS, Comparison, Marker, TextPool, find_markers, keyed
from bihuan.text.normalise import normalise


@dataclass(frozen=True)
class Checked:
    file: str
    text: str  # normalised
    markers: tuple[Marker, ...]
    result: Comparison
    sources: dict  # match key → how the source is named


def _pool_name(entry) -> str:
    if entry.material_id:
        return f"材料#{entry.material_id}《{entry.material.title}》"
    return f"参考库#{entry.reference_id}《{entry.reference.title}》"


def _json(checked: Checked) -> dict:
    return {
        "file": checked.file,
        "markers": [
            {"pattern": m.pattern, "line": m.line, "text": m.text} for m in checked.markers
        ],
        "copy_ratio": round(checked.result.copy_ratio, 4),
        "matches": [
            {
                "source": checked.sources[match.key],
                "similarity": round(match.ratio, 4),
                "overlap_chars": match.overlap_chars,
                "spans": [
                    {
                        "start": s.start,
                        "end": s.end,
                        "source_start": s.source_start,
                        "source_end": s.source_end,
                    }
                    for s in match.spans
                ],
            }
            for match in checked.result.matches
        ],
    }


def _text(checked: Checked) -> str:
    result = checked.result
    lines = [f"== {checked.file}"]
    if checked.markers:
        numbers = sorted({m.line for m in checked.markers})
        lines.append(f"疑似网络下载：模板网站痕迹在第 {'、'.join(map(str, numbers))} 行")
        for number in numbers:
            on_line = [m for m in checked.markers if m.line == number]
            kinds = "、".join(dict.fromkeys(KINDS.get(m.kind, m.kind) for m in on_line))
            lines.append(f"  第 {number} 行（{kinds}）：{on_line[0].text[:80]}")
    lines.append(
        f"复制比 {result.copy_ratio:.1%}：正文 {result.chars} 字（不计标点、屏蔽词和常用提法），"
        f"其中 {result.copied_chars} 字与来源重合"
    )
    for rank, match in enumerate(result.matches, start=1):
        lines.append(
            f"  {rank}. {checked.sources[match.key]}：重合 {match.overlap_chars} 字，"
            f"占本文 {match.ratio:.1%}，{len(match.spans)} 段"
        )
        for span in match.spans:
            passage = checked.text[span.start : span.end]
            shown = passage if len(passage) <= 40 else f"{passage[:38]}…"
            lines.append(
                f"     [{span.start}, {span.end}) ↔ [{span.source_start}, {span.source_end})：{shown}"
            )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "查重：标出文件中模板网站的痕迹，与参考库和系统中的材料（或 --against 目录中的文件）比对，"
        "给出复制比、重合来源和重合段落。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="要查重的文件")
        parser.add_argument(
            "--against",
            metavar="DIR",
            help="只与此目录（递归）中的文件比对，不使用数据库",
        )
        parser.add_argument(
            "--format",
            choices=["json", "text"],
            default="text",
            help="json：每个文件一行 JSON；text（默认）：便于阅读",
        )

    def handle(self, *, files: list[str], against: str | None, format: str, **_):
        self.failed = False
        check = self._pool_check if against is None else self._directory_check(against)
        for given in files:
            path = Path(given)
            try:
                if path.is_dir():
                    raise DomainError("这是一个目录；要与目录中的文件比对请用 --against。")
                raw = read_text(path)
            except DomainError as error:
                self._refuse(given, error.message)
                continue
            text = normalise(raw).text
            checked = Checked(given, text, find_markers(raw), *check(text, path))
            if format == "json":
                self.stdout.write(json.dumps(_json(checked), ensure_ascii=False))
            else:
                self.stdout.write(_text(checked))
        if self.failed:
            sys.exit(1)

    def _refuse(self, path, message: str) -> None:
        self.failed = True
        self.stderr.write(f"{path}: {message}")

    def _directory_check(self, against: str):
        if not Path(against).is_dir():
            raise CommandError(f"{against}: 找不到这个目录。")
        texts, names = [], {}
        for path, _ in files_under([against]):
            try:
                texts.append((path.resolve(), normalise(read_text(path)).text))
            except DomainError as error:
                self._refuse(path, error.message)
            names[path.resolve()] = str(path)
        pool = TextPool(texts)

        def check(text: str, path: Path) -> tuple[Comparison, dict]:
            # A file that is itself under DIR is not its own source.
            result = pool.check(text, exclude={path.resolve()})
            return result, {match.key: names[match.key] for match in result.matches}

        return check

    @staticmethod
    def _pool_check(text: str, path: Path) -> tuple[Comparison, dict]:
        # Imported here: with --against the command runs without a database.
        from bihuan.materials.dupcheck import pool_compare

        result, entries = pool_compare(keyed(text))
        return result, {key: _pool_name(entry) for key, entry in entries.items()}
