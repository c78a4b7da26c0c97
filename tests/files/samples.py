"""Sample files built in memory: one of each accepted type, an executable, an EXIF-rotated photo, a bomb."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

RED, BLUE = (255, 0, 0), (0, 0, 255)
# A minimal but well-formed PDF.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
# The first bytes of a Windows executable and of a Linux one.
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240 + b"This program cannot be run"
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def image(fmt: str, size=(400, 300), color=RED, **save) -> bytes:
    """An image of one color in the given Pillow format."""
    mode = "RGBA" if fmt == "PNG" else "RGB"
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, fmt, **save)
    return buf.getvalue()


def two_tone_jpeg_rotated(size=(300, 100)) -> bytes:
    """A JPEG stored landscape, left half red and right half blue, whose EXIF says "rotate 90° clockwise"."""
    img = Image.new("RGB", size, RED)
    img.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, quality=95)
    return buf.getvalue()


def png_bomb(side: int = 10_000) -> bytes:
    """A valid 1-bit PNG of side x side pixels that compresses to a few kilobytes."""
    row = b"\x00" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def pdf_of_size(size: int) -> bytes:
    """A PDF-signed file of exactly `size` bytes."""
    return (b"%PDF-1.4\n" + b"0" * size)[:size]


def drawing_pdf(pages: int = 2) -> bytes:
    """A real multi-page PDF drawing (A4 landscape), each page labelled with its number."""
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=landscape(A4))
    for number in range(1, pages + 1):
        sheet.rect(60, 120, 500, 240)
        sheet.drawString(80, 400, f"Sheet {number} of {pages}")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()
