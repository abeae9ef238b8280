"""The two offline classifiers, each shipping its model in its package: alt-profanity-check
(a scikit-learn model of offensive language) and NudeNet's ONNX detector (run here through
onnxruntime). Each is loaded once per process, on first use, in a worker thread: start-up
stays fast and the event loop never waits on a model load or an inference."""

from __future__ import annotations

import asyncio
import importlib.util
import io
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageChops

#: NudeNet's labels, in its model's output order (``nudenet.nudenet``).
NUDENET_LABELS = (
    "FEMALE_GENITALIA_COVERED",
    "FACE_FEMALE",
    "BUTTOCKS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_BREAST_EXPOSED",
    "ANUS_EXPOSED",
    "FEET_EXPOSED",
    "BELLY_COVERED",
    "FEET_COVERED",
    "ARMPITS_COVERED",
    "ARMPITS_EXPOSED",
    "FACE_MALE",
    "BELLY_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "ANUS_COVERED",
    "FEMALE_BREAST_COVERED",
    "BUTTOCKS_COVERED",
)
#: The classes that make an image sexually explicit.
EXPLICIT: tuple[str, ...] = (
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "BUTTOCKS_EXPOSED",
    "ANUS_EXPOSED",
)
NUDENET_SIZE = 320
#: Gives an image already decoded (``GeneratedImage.opened``), called on the worker thread.
Opened = Callable[[], Image.Image]


class Lazy:
    """A value built once, on first use, by whichever thread asks first."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._value: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value


def _load_profanity() -> Callable[[list[str]], Any]:
    """alt-profanity-check's model: a TF-IDF vectorizer, then five linear SVMs, each with a
    sigmoid calibration, their probabilities averaged. Its ``predict_prob`` spends ~3 ms a prompt
    in scikit-learn's per-call validation of those five models; the same arithmetic as one sparse
    product (weights stacked once, here) costs a tenth of that and gives the same probability
    (``tests/safety/test_text_policy.py``). A model of another shape keeps the package's path."""
    from profanity_check import predict_prob  # loads its scikit-learn model at import
    from profanity_check.profanity_check import model, vectorizer

    parts = getattr(model, "calibrated_classifiers_", None) or []
    shaped = getattr(model, "method", None) == "sigmoid" and list(getattr(model, "classes_", [])) == [0, 1]
    for part in parts:
        estimator = part.estimator
        shaped = shaped and getattr(estimator, "coef_", np.empty((0, 0))).shape[0] == 1
        shaped = shaped and list(estimator.classes_) == [0, 1] and len(part.calibrators) == 1
    if not parts or not shaped:
        return predict_prob  # type: ignore[no-any-return]
    weights = np.vstack([part.estimator.coef_[0] for part in parts]).T  # features × models
    intercepts = np.array([part.estimator.intercept_[0] for part in parts])
    slopes = np.array([part.calibrators[0].a_ for part in parts])
    offsets = np.array([part.calibrators[0].b_ for part in parts])

    def compiled_predict_prob(texts: list[str]) -> Any:
        decisions = vectorizer.transform(texts) @ weights + intercepts  # texts × models
        calibrated = 1.0 / (1.0 + np.exp(slopes * decisions + offsets))  # expit(-(a·d + b))
        return calibrated.mean(axis=1)

    return compiled_predict_prob


def nudenet_model_path() -> Path:
    """The detector inside the installed ``nudenet`` package, found without importing it (its
    module imports OpenCV, which this reader does not need)."""
    spec = importlib.util.find_spec("nudenet")
    if spec is None or spec.origin is None:
        raise RuntimeError("the nudenet package is not installed (pip install nudenet)")
    return Path(spec.origin).parent / "320n.onnx"


def _load_nudenet() -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # one thread per check (jobs run side by side), and no spinning: onnxruntime's idle threads
    # otherwise spin on the CPU between runs, which doubled a check's CPU time here (28 → 15 ms)
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(nudenet_model_path()), options, providers=["CPUExecutionProvider"])


_PROFANITY = Lazy(_load_profanity)
_NUDENET = Lazy(_load_nudenet)


def _profanity(texts: list[str]) -> list[float]:
    return [float(p) for p in _PROFANITY.get()(texts)]


async def offensive_probability(texts: Sequence[str]) -> list[float]:
    """alt-profanity-check's probability that each text is offensive language."""
    return await asyncio.to_thread(_profanity, list(texts))


def _input(data: bytes, opened: Opened | None = None) -> Image.Image:
    """NudeNet's input picture, made as its own reader makes it: the image padded to a square
    at its bottom and right, resized to 320×320. ``opened``: gives ``data`` decoded."""
    image = (opened() if opened is not None else Image.open(io.BytesIO(data))).convert("RGB")
    side = max(image.size)
    square = image
    if image.width != image.height:
        square = Image.new("RGB", (side, side))
        square.paste(image, (0, 0))
    return square.resize((NUDENET_SIZE, NUDENET_SIZE), Image.Resampling.BILINEAR)


def _blob(picture: Image.Image) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The input as the model reads it: RGB scaled to 0–1, channels first."""
    pixels = np.asarray(picture, dtype=np.float32)
    return (pixels / 255.0).transpose(2, 0, 1)[None]


#: An exposed-body detection counts only where at least this share of its box is skin-coloured:
#: flat graphics in brand colours (a pink target mark scored 0.79 "buttocks exposed") are no body.
SKIN_SHARE = 0.2


#: Chai and Ngan's skin rule in YCbCr: 77 ≤ Cb ≤ 127 and 133 ≤ Cr ≤ 173, as 0/255 lookup tables.
_CB_SKIN = [255 if 77 <= value <= 127 else 0 for value in range(256)]
_CR_SKIN = [255 if 133 <= value <= 173 else 0 for value in range(256)]


def _skin(picture: Image.Image) -> Image.Image:
    """The skin-coloured pixels of NudeNet's input (Chai and Ngan's rule on Pillow's JPEG
    YCbCr), 255 where skin, 0 elsewhere."""
    _, cb, cr = picture.convert("YCbCr").split()
    return ImageChops.darker(cb.point(_CB_SKIN), cr.point(_CR_SKIN))


def _skin_table(skin: Image.Image) -> np.ndarray[Any, np.dtype[np.int64]]:
    """A summed-area table of the skin pixels, so any box's count is four lookups."""
    table = np.zeros((NUDENET_SIZE + 1, NUDENET_SIZE + 1), dtype=np.int64)
    table[1:, 1:] = (np.asarray(skin) > 0).cumsum(axis=0, dtype=np.int64).cumsum(axis=1)
    return table


def _skin_shares(table: np.ndarray[Any, np.dtype[np.int64]], boxes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The share of skin pixels in each (cx, cy, w, h) box, in input pixels."""
    cx, cy, w, h = boxes
    x0 = np.clip(np.floor(cx - w / 2), 0, NUDENET_SIZE).astype(int)
    x1 = np.clip(np.ceil(cx + w / 2), 0, NUDENET_SIZE).astype(int)
    y0 = np.clip(np.floor(cy - h / 2), 0, NUDENET_SIZE).astype(int)
    y1 = np.clip(np.ceil(cy + h / 2), 0, NUDENET_SIZE).astype(int)
    counts = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    area = np.maximum(1, (x1 - x0) * (y1 - y0))
    shares: np.ndarray[Any, Any] = counts / area
    return shares


def _scores(picture: Image.Image, skin: Image.Image) -> dict[str, float]:
    session = _NUDENET.get()
    output = session.run(None, {session.get_inputs()[0].name: _blob(picture)})[0][0]
    classes = output[4:, :]
    bodily = _skin_shares(_skin_table(skin), output[:4, :]) >= SKIN_SHARE
    scores: dict[str, float] = {}
    for index, label in enumerate(NUDENET_LABELS):
        row = classes[index]
        if label in EXPLICIT:
            row = np.where(bodily, row, 0.0)
        scores[label] = float(row.max())
    return scores


def _nudenet_scores(data: bytes) -> dict[str, float]:
    """Each class's best score over every box; an exposed-body class's only over boxes that are
    at least :data:`SKIN_SHARE` skin-coloured."""
    picture = _input(data)
    return _scores(picture, _skin(picture))


def _explicit_nudity(data: bytes, opened: Opened | None = None) -> tuple[str, float]:
    picture = _input(data, opened)
    skin = _skin(picture)
    if skin.getbbox() is None:
        # not one skin-coloured pixel: every exposed-body box would be masked to 0, so the
        # model's explicit verdict is known without running it (flat graphics in other colours)
        return EXPLICIT[0], 0.0
    return explicit_score(_scores(picture, skin))


async def nudity_scores(data: bytes) -> dict[str, float]:
    """NudeNet's best score per class for one image (PNG, JPEG or WebP bytes)."""
    return await asyncio.to_thread(_nudenet_scores, data)


async def explicit_nudity(data: bytes, opened: Opened | None = None) -> tuple[str, float]:
    """The explicit class NudeNet scores highest for one image, and its score: what
    ``explicit_score(await nudity_scores(data))`` says, without running the detector on an
    image that has no skin-coloured pixel. ``opened``: a callable giving ``data`` decoded,
    when the caller keeps it decoded for other readers."""
    return await asyncio.to_thread(_explicit_nudity, data, opened)


def explicit_score(scores: dict[str, float]) -> tuple[str, float]:
    """The explicit class scored highest, and its score."""
    label = max(EXPLICIT, key=lambda name: scores[name])
    return label, scores[label]
