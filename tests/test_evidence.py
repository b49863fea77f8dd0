"""The evidence store: what is a photo, what is kept, and what others may see of it."""

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from services.evidence import NotAPhoto, PhotoStore
from tests.fake_telegram.people import GPS_IFD, huge_png, jpeg


def picture(kind: str, size: tuple[int, int] = (40, 30), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, kind, **options)
    return buffer.getvalue()


def test_the_original_is_kept_byte_for_byte_with_its_hash_and_camera_time(tmp_path: Path):
    photo = jpeg("red", exif_time="2026:11:20 18:02:11", gps=True)
    stored = PhotoStore(tmp_path).receive("file-1", "unique-1", photo)
    assert Path(stored.path).read_bytes() == photo
    assert stored.sha256 == hashlib.sha256(photo).hexdigest() and stored.size == len(photo)
    assert stored.exif_taken_at == "2026:11:20 18:02:11"


def test_the_shared_copy_has_no_exif_at_all(tmp_path: Path):
    stored = PhotoStore(tmp_path).receive("file-1", "unique-1", jpeg("red", gps=True))
    with Image.open(stored.path) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the test photo does say where it was taken
    with Image.open(stored.shared_path) as copy:
        assert dict(copy.getexif()) == {} and copy.info.get("exif") is None
        assert copy.size == (64, 48)


def test_the_shared_copy_is_upright_and_not_larger_than_2560(tmp_path: Path):
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held sideways: rotate 90° to view
    stored = PhotoStore(tmp_path).receive("f", "u", picture("JPEG", (4000, 3000), exif=exif.tobytes()))
    with Image.open(stored.shared_path) as copy:
        assert copy.size == (1920, 2560)


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "MPO"])
def test_what_phones_send_is_a_photo(tmp_path: Path, kind: str):
    stored = PhotoStore(tmp_path).receive("f", "u", picture(kind))
    assert Path(stored.shared_path).exists()


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00" + bytes(2000),  # a Windows program named IMG_0001.jpg
        jpeg("red")[:300],  # a photo cut off on the way
        b"GIF89a" + bytes(100),
        picture("BMP"),  # decodable, but not what a phone sends: not worth a decoder on strangers' bytes
        b"",
    ],
)
def test_what_is_not_a_photo_is_refused_and_not_stored(tmp_path: Path, content: bytes):
    with pytest.raises(NotAPhoto) as refusal:
        PhotoStore(tmp_path).receive("f", "u", content)
    assert refusal.value.reason == "unreadable"
    assert list(tmp_path.rglob("*.*")) == []


@pytest.mark.parametrize("size", [(8000, 6000), (12_000, 9_000), (20_000, 20_000), (200_000, 200_000)])
def test_a_picture_of_more_than_40_megapixels_is_refused_before_it_is_decoded(tmp_path: Path, size):
    with pytest.raises(NotAPhoto) as refusal:
        PhotoStore(tmp_path).receive("f", "u", huge_png(*size))
    assert refusal.value.reason == "too_large"


def test_the_same_photo_twice_is_stored_once(tmp_path: Path):
    store, photo = PhotoStore(tmp_path), jpeg("blue")
    first, second = store.receive("f1", "u1", photo), store.receive("f2", "u2", photo)
    assert (first.path, first.shared_path) == (second.path, second.shared_path)
    assert len(list(tmp_path.rglob("*.*"))) == 2
