"""What an evidence file (佐证材料) is, judged by its first bytes, not by its name.

The extension says what the uploader claims; the content must agree, so a program renamed
.pdf, or a web page renamed .jpg, is refused. Files are stored and handed back as downloads,
never opened or run on the server.
"""

from pathlib import PurePath

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Extension → the signatures its content may start with (None: plain text, checked apart).
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".wps": _OLE,
    ".et": _OLE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".ofd": _ZIP,
    ".zip": _ZIP,
    ".rar": (b"Rar!\x1a\x07",),
    ".7z": (b"7z\xbc\xaf\x27\x1c",),
    ".mp4": (),  # an ISO media box: "ftyp" at offset 4
    ".txt": None,
    ".csv": None,
}
EXTENSIONS = frozenset(SIGNATURES)
# Programs and scripts are refused whatever they are called.
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def content_agrees(name: str, head: bytes) -> bool:
    """Whether the first bytes (at least 16) of a file are what its extension says."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SIGNATURES or head.startswith(_EXECUTABLE):
        return False
    signatures = SIGNATURES[suffix]
    if signatures is None:
        return b"\x00" not in head and not head.lstrip().lower().startswith((b"<html", b"<!doc"))
    if suffix == ".mp4":
        return head[4:8] == b"ftyp"
    if suffix == ".webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return head.startswith(signatures)
