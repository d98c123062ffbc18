"""bihuan extract [--format json|text] FILE: problems, causes and measures from a material."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bihuan.text.pipeline import extract_text, extraction_json, extraction_text
from bihuan.text.read import DEFAULT_MAX_BYTES, MaterialFileError, read_material


class Command(BaseCommand):
    help = (
        "从材料（.txt/.docx/.pdf，装有 LibreOffice 时还有 .doc/.wps）中提取问题、原因和整改措施。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="材料文件")
        parser.add_argument(
            "--format",
            choices=["json", "text"],
            default="text",
            help="json：机器读取的完整结果；text（默认）：便于阅读的大纲和条目",
        )

    def handle(self, *, file: str, format: str, **_):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}。")
        try:
            with path.open("rb") as handle:
                # One byte past the limit is enough for read_material to refuse the file.
                data = handle.read(DEFAULT_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}：{error.strerror or error}。") from None
        try:
            material = read_material(data, filename=path.name)
        except MaterialFileError as error:
            raise CommandError(error.message) from None
        extraction = extract_text(material.text)
        if format == "json":
            self.stdout.write(json.dumps(extraction_json(extraction), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(extraction_text(extraction))
