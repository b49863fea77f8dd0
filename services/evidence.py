"""Photos kept as evidence (domain-rules §2, 证据保全): original bytes, SHA-256, EXIF time."""

import hashlib
import io
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from storage.tickets import Evidence

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME = 0x0132


class PhotoStore:
    def __init__(self, directory: Path):
        self.directory = directory

    def keep(self, ticket_number: str, stage: str, index: int, file_id: str, content: bytes) -> Evidence:
        """Write the bytes exactly as received; the name carries the hash so nothing is
        overwritten and a copy can be checked against the database."""
        digest = hashlib.sha256(content).hexdigest()
        folder = self.directory / ticket_number
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stage}-{index:02d}-{digest[:12]}{_suffix(content)}"
        path.write_bytes(content)
        return Evidence(file_id, str(path), digest, len(content), exif_time(content))


def exif_time(content: bytes) -> str | None:
    """When the camera says the photo was taken ("2026:11:22 09:15:00"), if it says."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError):
        return None
    value = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    return str(value).strip() if value else None


def _suffix(content: bytes) -> str:
    if content.startswith(b"\x89PNG"):
        return ".png"
    if content.startswith(b"\xff\xd8"):
        return ".jpg"
    return ".bin"
