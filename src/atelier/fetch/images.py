"""Checking fetched or uploaded bytes are an image Atelier can use: decoded for real (not just
the header), within a pixel budget and a frame budget, so a small file cannot expand into
gigabytes of pixels."""

from __future__ import annotations

import io
import warnings

from PIL import Image

from atelier.kit.errors import AtelierError


class NotAnImage(AtelierError):
    status_code = 422
    code = "NOT_AN_IMAGE"


def check_image(data: bytes, source: str, *, max_pixels: int, max_frames: int = 200) -> None:
    """Raise NotAnImage unless ``data`` fully decodes within the limits."""
    if not data:
        raise NotAnImage(f"{source} is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                frames = int(getattr(image, "n_frames", 1))
                if width * height > max_pixels:
                    raise NotAnImage(f"{source} is {width}x{height}, more than {max_pixels} pixels")
                if frames > max_frames or width * height * frames > max_pixels * 4:
                    raise NotAnImage(f"{source} has too many frames ({frames})")
                image.load()
        except NotAnImage:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise NotAnImage(f"{source} is larger than the limit of {max_pixels} pixels") from exc
        except Exception as exc:  # Pillow raises many types for corrupt input
            raise NotAnImage(f"{source} is not a decodable image") from exc
