"""What a generation asks for, independent of the API it came through."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any

from atelier.engines.base import BrandConstraints, GenerationRequest, OutputFormat, Task
from atelier.kit.errors import ValidationFailed

MAX_PROMPT_CHARS = 4000
ASPECT_PRESETS = {
    "1:1": (1024, 1024),
    "4:3": (1280, 960),
    "3:4": (960, 1280),
    "16:9": (1344, 768),
    "9:16": (768, 1344),
    "3:2": (1248, 832),
    "2:3": (832, 1248),
    "21:9": (1536, 640),
    "3:1": (1500, 500),
}
_SIZE = re.compile(r"^(\d{2,4})x(\d{2,4})$")
FORMAT_ALIASES = {
    "png": OutputFormat.PNG,
    "jpeg": OutputFormat.JPEG,
    "jpg": OutputFormat.JPEG,
    "webp": OutputFormat.WEBP,
}


def parse_size(size: str | None, aspect: str | None = None, *, field_name: str = "size") -> tuple[int, int]:
    if size in (None, "", "auto"):
        if aspect:
            if aspect not in ASPECT_PRESETS:
                raise ValidationFailed(
                    f"Unknown aspect preset '{aspect}' (known: {', '.join(ASPECT_PRESETS)})",
                    details={"field": "aspect_ratio"},
                )
            return ASPECT_PRESETS[aspect]
        return 1024, 1024
    match = _SIZE.match(size or "")
    if not match:
        raise ValidationFailed(
            f"{field_name} must look like WIDTHxHEIGHT, e.g. 1024x1024 (got '{size}')", details={"field": field_name}
        )
    width, height = int(match.group(1)), int(match.group(2))
    if not (64 <= width <= 2048 and 64 <= height <= 2048):
        raise ValidationFailed(f"{field_name} sides must be between 64 and 2048 pixels", details={"field": field_name})
    if max(width, height) / min(width, height) > 4:
        raise ValidationFailed(f"{field_name} aspect ratio must be between 1:4 and 4:1", details={"field": field_name})
    return width, height


def parse_format(value: str | None, *, field_name: str = "output_format") -> OutputFormat:
    if value is None:
        return OutputFormat.PNG
    fmt = FORMAT_ALIASES.get(value.lower())
    if fmt is None:
        raise ValidationFailed(f"Unsupported format '{value}' (png, jpeg or webp)", details={"field": field_name})
    return fmt


#: Request fields that are not kept in the job's record: input images are stored as objects
#: (``Job.input_keys``), the upstream model is the route deployment's, per attempt.
_NOT_RECORDED = frozenset({"references", "mask", "upstream_model"})


@dataclass
class GenerationParams(GenerationRequest):
    """What a generation asks for: the engines' :class:`GenerationRequest` (one set of fields
    for every API, the jobs layer and the engines) plus what only the platform reads — the
    model route, the project, a per-job webhook URL, the design type hint."""

    model: str = "atelier-design"
    design_type: str | None = None
    project: str | None = None
    webhook_url: str | None = None

    def validate(self, max_n: int) -> None:
        prompt = self.prompt.strip()
        if not prompt and self.task == Task.GENERATE:
            raise ValidationFailed("prompt must not be empty", details={"field": "prompt"})
        if len(self.prompt) > MAX_PROMPT_CHARS:
            raise ValidationFailed(f"prompt must be at most {MAX_PROMPT_CHARS} characters", details={"field": "prompt"})
        if not 1 <= self.n <= max_n:
            raise ValidationFailed(f"n must be between 1 and {max_n}", details={"field": "n"})
        if self.task != Task.GENERATE and not self.references:
            raise ValidationFailed(f"{self.task.value} needs an input image", details={"field": "image"})

    def request(self) -> GenerationRequest:
        """The engines' view: the same fields, the design type passed on in ``extra``."""
        shared = {f.name: getattr(self, f.name) for f in fields(GenerationRequest)}
        shared["extra"] = {**self.extra, "design_type": self.design_type}
        return GenerationRequest(**shared)

    def to_record(self) -> dict[str, Any]:
        """The job's typed record (JSON): every field but the input images, which are stored
        as objects, and the project and webhook URL, which are columns of the job."""
        record: dict[str, Any] = {}
        for f in fields(self):
            if f.name in _NOT_RECORDED or f.name in {"project", "webhook_url"}:
                continue
            value = getattr(self, f.name)
            if isinstance(value, Enum):
                value = value.value
            elif isinstance(value, BrandConstraints):
                value = {
                    "palette_hex": list(value.palette_hex),
                    "fonts": list(value.fonts),
                    "logo_safe_zone_pct": value.logo_safe_zone_pct,
                }
            record[f.name] = value
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> GenerationParams:
        """The parameters a job was submitted with (input images are loaded separately);
        a field a record predates takes its default."""
        known = {f.name for f in fields(cls)} - _NOT_RECORDED
        values = {k: v for k, v in record.items() if k in known}
        if "output_format" in values:
            values["output_format"] = OutputFormat(values["output_format"])
        if "task" in values:
            values["task"] = Task(values["task"])
        c = values.get("constraints")
        values["constraints"] = (
            BrandConstraints(tuple(c["palette_hex"]), tuple(c["fonts"]), float(c["logo_safe_zone_pct"]))
            if isinstance(c, dict)
            else None
        )
        values["extra"] = dict(values.get("extra") or {})
        return cls(**values)
