"""Checks raw bytes of copy before anything reads them as a story: size, binary, UTF-8."""

MAX_BYTES = 1_000_000

_ALLOWED_CONTROL = {"\t", "\n", "\r", "\f"}


class CopyRefused(ValueError):
    """Copy that cannot be imported. The message is a one-line reason a person can act on."""


def decode_copy(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The copy as text, or CopyRefused when it is empty, too big, binary or not UTF-8."""
    if len(data) > max_bytes:
        raise CopyRefused(f"too big: over the limit of {max_bytes:,} bytes")
    if not data.strip():
        raise CopyRefused("empty: there is no text in it")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CopyRefused("not UTF-8: it is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise CopyRefused("binary: this is not a text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CopyRefused(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at position {exc.start} is not valid UTF-8; "
            "save the file as UTF-8"
        ) from None
    controls = sum(1 for char in text if ord(char) < 32 and char not in _ALLOWED_CONTROL)
    if controls > max(2, len(text) // 100):
        raise CopyRefused("binary: it is full of control characters, not text")
    return text
