"""Logo files for tests: real PNG/JPEG/GIF images made by Pillow, and impostors."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (60, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(buffer, format=kind)
    return buffer.getvalue()


def upload(content: bytes, name: str = "logo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name: str = "logo.png", size: tuple[int, int] = (60, 30)) -> SimpleUploadedFile:
    return upload(image_bytes("PNG", size), name)


def jpeg(name: str = "logo.jpg") -> SimpleUploadedFile:
    return upload(image_bytes("JPEG"), name, "image/jpeg")


def gif(name: str = "logo.gif") -> SimpleUploadedFile:
    return upload(image_bytes("GIF"), name, "image/gif")


def text_as_png() -> SimpleUploadedFile:
    return upload(b"Bonjour, ceci n'est pas une image.\n" * 20, "logo.png")


def svg() -> SimpleUploadedFile:
    content = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return upload(content, "logo.svg", "image/svg+xml")


def two_megabytes() -> SimpleUploadedFile:
    """A PNG header then 2 MB of padding: refused for its weight before anything decodes."""
    return upload(image_bytes("PNG") + b"\0" * (2 * 1024 * 1024), "big.png")


def truncated_png() -> SimpleUploadedFile:
    content = image_bytes("PNG", (300, 300))
    return upload(content[: len(content) // 2], "cut.png")


def truncated_jpeg() -> SimpleUploadedFile:
    content = image_bytes("JPEG", (300, 300))
    return upload(content[: len(content) - 40], "cut.jpg", "image/jpeg")
