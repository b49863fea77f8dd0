"""Photos kept as evidence: the original bytes as received, their SHA-256 and the camera's
time, stored the moment a photo arrives; and a re-encoded copy without EXIF (no GPS, no
camera serial) that is the only copy ever shown to anyone else.

Whatever is offered as a photo is decoded before it is believed: a file that is not an
image, a broken image or one too large to decode safely is refused, never stored.
"""

import asyncio
import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from storage.tickets import Evidence

MAX_PIXELS = 40_000_000  # a 40 MP photo is more than any phone takes; beyond it, refuse
SHARED_SIDE = 2560  # the longest side of the copy others see: plenty on a phone, small to send
FORMATS = ("JPEG", "PNG", "WEBP")  # what phones send (the JPEG reader also reads MPO); nothing exotic
_SUFFIX = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp"}
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME = 0x0132


class NotAPhoto(Exception):
    """The bytes are not a photo we can read: `reason` is "unreadable" or "too_large"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredPhoto:
    """A photo in the evidence store, as the report's draft refers to it."""

    file_id: str  # Telegram's id of what the owner sent
    unique_id: str  # the same photo sent twice (or one update delivered twice) has the same one
    path: str  # the original bytes
    sha256: str
    size: int
    exif_taken_at: str | None
    shared_path: str  # the copy without EXIF

    def as_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "StoredPhoto":
        return cls(
            file_id=data["file_id"],
            unique_id=data["unique_id"],
            path=data["path"],
            sha256=data["sha256"],
            size=data["size"],
            exif_taken_at=data.get("exif_taken_at"),
            shared_path=data["shared_path"],
        )

    def evidence(self) -> Evidence:
        return Evidence(self.file_id, self.path, self.sha256, self.size, self.exif_taken_at, self.shared_path)


class PhotoStore:
    def __init__(self, directory: Path):
        self.directory = directory

    def receive(self, file_id: str, unique_id: str, content: bytes) -> StoredPhoto:
        """Decode, then keep the original and its shareable copy; NotAPhoto if it is none.
        Files are named by their hash, so receiving the same photo again changes nothing."""
        digest = hashlib.sha256(content).hexdigest()
        with _decoded(content) as image:
            taken_at = exif_time(image)
            original = self.directory / "originals" / digest[:2] / f"{digest}{_SUFFIX[image.format or 'JPEG']}"
            shared = self.directory / "shared" / digest[:2] / f"{digest}.jpg"
            if not shared.exists():
                _write(shared, shareable(image))
        if not original.exists():
            _write(original, content)
        return StoredPhoto(file_id, unique_id, str(original), digest, len(content), taken_at, str(shared))


class _decoded:
    """The image, fully decoded, or NotAPhoto; the size is checked before any pixel is."""

    def __init__(self, content: bytes):
        self.content = content
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():  # Pillow only warns of a bomb up to twice its limit
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(io.BytesIO(self.content), formats=FORMATS)
            width, height = self.image.size
            if width * height > MAX_PIXELS:
                raise NotAPhoto("too_large")
            self.image.load()
        except Exception as error:  # strangers' bytes: whatever the decoder trips on, it is not a photo
            self.__exit__()
            if isinstance(error, NotAPhoto):
                raise
            bomb = isinstance(error, Image.DecompressionBombError | Image.DecompressionBombWarning)
            reason = "too_large" if bomb else "unreadable"
            raise NotAPhoto(reason) from None
        return self.image

    def __exit__(self, *_exc: object) -> None:
        if self.image is not None:
            self.image.close()


def shareable(image: Image.Image) -> bytes:
    """A fresh JPEG of the pixels alone: turned upright first (the orientation tag goes with
    the rest of EXIF), then scaled down to SHARED_SIDE. Nothing of the original's metadata
    is passed to the encoder."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    upright.thumbnail((SHARED_SIDE, SHARED_SIDE))
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def exif_time(image: Image.Image) -> str | None:
    """When the camera says the photo was taken ("2026:11:22 09:15:00"), if it says."""
    try:
        exif = image.getexif()
        value = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    except Exception:  # a broken EXIF block does not make the photo less of a photo
        return None
    return str(value).strip() if value else None


def _write(path: Path, content: bytes) -> None:
    """Whole or not at all: a crash mid-write leaves a temporary file, never half a photo."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # a name of its own: the same photo may be written twice at once (an update delivered
    # twice, two workers sharing the folder), and the store keeps one file per content
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    with os.fdopen(handle, "wb") as temporary:
        temporary.write(content)
    os.replace(name, path)


async def evidence_of(store: PhotoStore, file_id: str, content: bytes | None) -> Evidence:
    """Store a photo received later (the engineer's "after" photos): the original as
    evidence and a copy without EXIF; the file id alone when it could not be read."""
    if content is None:
        return Evidence(file_id, None, None, None, None)
    try:
        stored = await asyncio.to_thread(store.receive, file_id, file_id, content)
    except NotAPhoto:
        return Evidence(file_id, None, None, None, None)
    return stored.evidence()
