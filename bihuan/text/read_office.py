"""Turn .doc, .wps, .odt and .rtf into .docx with LibreOffice, when it is installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from bihuan.text.read_errors import MaterialFileError

CONVERSION_TIMEOUT_SECONDS = 60
_LABELS = {
    "doc": "旧版 Word（.doc）",
    "wps": "WPS（.wps）",
    "odt": "OpenDocument（.odt）",
    "rtf": "RTF（.rtf）",
    "html": "网页格式的 Word（.doc）",
}
# LibreOffice opens a web page saved as .doc in Writer, as Word does; as .html it would pick
# Writer/Web, which has no .docx export.
_SUFFIXES = {"html": "doc"}


def convert_to_docx(
    data: bytes, *, source_format: str, timeout: float = CONVERSION_TIMEOUT_SECONDS
) -> bytes:
    """The .docx that `soffice --headless --convert-to docx` makes of `data`.

    Runs in a private temporary directory with its own LibreOffice profile, so a desktop
    LibreOffice left open by someone else on the server neither blocks nor receives the job.
    """
    label = _LABELS.get(source_format, source_format)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise MaterialFileError(
            f"这是{' ' if label[0].isascii() else ''}{label}文件，需要 LibreOffice 才能读取，但服务器上没有安装；"
            "请在 Word 或 WPS 中另存为 .docx 后重新上传，或请管理员安装 LibreOffice。",
            reason="needs_libreoffice",
        )
    with tempfile.TemporaryDirectory(prefix="bihuan-read-") as workdir:
        source = Path(workdir, f"material.{_SUFFIXES.get(source_format, source_format)}")
        source.write_bytes(data)
        outdir = Path(workdir, "out")
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={Path(workdir, 'profile').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(source),
        ]
        # A new session, so that on timeout the whole group (soffice wraps soffice.bin) is killed.
        process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise MaterialFileError(
                f"{label}文件转换超时（超过 {timeout:g} 秒）；请在 Word 或 WPS 中另存为 .docx 后重新上传。",
                reason="conversion_failed",
            ) from None
        converted = outdir / "material.docx"
        if not converted.is_file():
            raise MaterialFileError(
                f"{label}文件转换失败，文件可能已损坏或设置了密码；请在 Word 或 WPS 中另存为 .docx 后重新上传。",
                reason="conversion_failed",
            )
        return converted.read_bytes()
