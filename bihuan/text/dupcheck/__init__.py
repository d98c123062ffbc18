"""查重 in plain Python: template-site markers and passages shared with other texts.

markers = find_markers(raw_text)                    # 疑似网络下载, with the raw lines
material = keyed(clean_text)                        # content characters and offsets
index = ContainmentIndex([(key, fingerprints_of(keyed(text))), …])
keys = index.candidates(fingerprints_of(material), limit=20)   # no scan of every document
result = compare(material, [(key, keyed(text_of[key])) for key in keys])
result.copy_ratio, result.matches[0].spans

TextPool([(name, clean_text), …]).check(clean_text)   # the same, in memory (no database)
ShortTexts(descriptions).resembling(description, threshold=0.6)  # a problem come back
"""

from bihuan.text.dupcheck.align import Passage, align
from bihuan.text.dupcheck.compare import Comparison, SourceMatch, Span, compare
from bihuan.text.dupcheck.fingerprint import SCHEME, fingerprints_from_bytes, fingerprints_of
from bihuan.text.dupcheck.index import ContainmentIndex
from bihuan.text.dupcheck.keyed import Keyed, keyed
from bihuan.text.dupcheck.markers import KINDS, Marker, find_markers
from bihuan.text.dupcheck.resemble import ShortTexts, resemblance
from bihuan.text.dupcheck.texts import TextPool

__all__ = [
    "KINDS",
    "SCHEME",
    "Comparison",
    "ContainmentIndex",
    "Keyed",
    "Marker",
    "Passage",
    "ShortTexts",
    "SourceMatch",
    "Span",
    "TextPool",
    "align",
    "compare",
    "find_markers",
    "fingerprints_from_bytes",
    "fingerprints_of",
    "keyed",
    "resemblance",
]
