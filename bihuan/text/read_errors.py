"""The one error the read step raises: a file that cannot be turned into text."""


class MaterialFileError(Exception):
    """An uploaded file that cannot be read; the message is one Chinese line for the uploader.

    `reason` is a stable code ("empty", "too_large", "encrypted", "scanned", "zip_bomb",
    "corrupt", "unsupported", "no_text", "needs_libreoffice", "conversion_failed") for callers
    that react differently to different failures; the message says what is wrong and how to fix it.
    """

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
