"""查重 in plain Python: template-site markers and passages shared with other texts.

markers = find_markers(raw_text)                    # 疑似网络下载, with the raw lines
material = keyed(clean_text)                        # content characters and offsets
index = ContainmentIndex([(key, signature_of(keyed(text))), …])
keys = index.candidates(query_of(material))         # no scan of every document
result = compare(material, [(key, keyed(text_of[key])) for key in keys])
result.copy_ratio, result.matches[0].spans
"""

from bihuan.text.dupcheck.align import Passage, align
from bihuan.text.dupcheck.compare import Comparison, SourceMatch, Span, compare
from bihuan.text.dupcheck.index import ContainmentIndex
from bihuan.text.dupcheck.keyed import Keyed, keyed
from bihuan.text.dupcheck.markers import KINDS, Marker, find_markers
from bihuan.text.dupcheck.signature import SCHEME, Query, Signature, query_of, signature_of

__all__ = [
    "KINDS",
    "SCHEME",
    "Comparison",
    "ContainmentIndex",
    "Keyed",
    "Marker",
    "Passage",
    "Query",
    "Signature",
    "SourceMatch",
    "Span",
    "align",
    "compare",
    "find_markers",
    "keyed",
    "query_of",
    "signature_of",
]
