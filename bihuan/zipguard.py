"""Zip bombs, told apart before anything is inflated in full (plain Python, no Django).

Office files (.docx, .xlsx, .odt, .ods) are zip archives, and a small one can inflate to
gigabytes. An archive is a bomb when the sizes it declares are too big (in all, or for an entry's
compressed size), or when an entry's data inflates past the size it declares: zipfile's `read()`
would inflate all of it into memory before its checksum noticed.
"""

import struct
import zipfile
import zlib

MB = 2**20
MAX_UNZIPPED_BYTES = 100 * MB
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
# Small parts compress far better than 100:1 in honest documents, and so do bitmaps of blank
# paper; only big parts other than media are suspect (they are parsed).
RATIO_CHECK_FROM_BYTES = 1 * MB
_STEP = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def zip_bomb(data: bytes, entries: list[zipfile.ZipInfo], *, media: tuple[str, ...]) -> bool:
    """Whether the archive in `data` with these `entries` is to be refused unread; `media`
    holds the folders of pictures and embedded files, exempt from the ratio."""
    total = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNZIPPED_BYTES:
        return True
    for entry in entries:
        if (
            entry.file_size > RATIO_CHECK_FROM_BYTES
            and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
            and not entry.filename.startswith(media)
        ):
            return True
    return any(_inflates_past_its_size(data, entry) for entry in entries)


def _inflates_past_its_size(data: bytes, entry: zipfile.ZipInfo) -> bool:
    """Inflate the entry a step at a time and stop one byte past its declared size: the time
    this takes is bounded by the declared sizes checked above, the memory by the step."""
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        return False
    header = data[entry.header_offset : entry.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        return False  # a broken archive: the reader says so
    *_, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    start = entry.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    packed = memoryview(data)[start : start + entry.compress_size]
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for offset in range(0, len(packed), _STEP):
            pending = bytes(packed[offset : offset + _STEP])
            while pending:
                produced += len(inflater.decompress(pending, _STEP))
                if produced > entry.file_size:
                    return True
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return False  # corrupt rather than a bomb: the reader says so
    return False
