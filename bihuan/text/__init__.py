"""The text pipeline: read, normalise, outline and extract materials, in plain Python."""

from bihuan.text.pipeline import Extraction, extract_text, extraction_json, extraction_text

__all__ = ["Extraction", "extract_text", "extraction_json", "extraction_text"]
