"""What a generation asks for, independent of the API it came through."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from atelier.engines.base import BrandConstraints, OutputFormat, Task
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


@dataclass
class GenerationParams:
    prompt: str
    model: str = "atelier-design"
    n: int = 1
    width: int = 1024
    height: int = 1024
    output_format: OutputFormat = OutputFormat.PNG
    task: Task = Task.GENERATE
    negative_prompt: str | None = None
    seed: int | None = None
    guidance: float | None = None
    steps: int | None = None
    quality: str | None = None
    style: str | None = None
    background: str | None = None
    design_type: str | None = None
    constraints: BrandConstraints | None = None
    project: str | None = None
    webhook_url: str | None = None
    #: Input images (already fetched and checked), e.g. for edits and variations.
    references: list[bytes] = field(default_factory=list)
    mask: bytes | None = None
    extra: dict[str, Any] = field(default_factory=dict)

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

    def to_record(self) -> dict[str, Any]:
        """The JSON kept on the job (input images are stored as objects, not here)."""
        return {
            "prompt": self.prompt,
            "model": self.model,
            "n": self.n,
            "width": self.width,
            "height": self.height,
            "output_format": self.output_format.value,
            "task": self.task.value,
            "negative_prompt": self.negative_prompt,
            "seed": self.seed,
            "guidance": self.guidance,
            "steps": self.steps,
            "quality": self.quality,
            "style": self.style,
            "background": self.background,
            "design_type": self.design_type,
            "extra": self.extra,
            "constraints": None
            if self.constraints is None
            else {
                "palette_hex": list(self.constraints.palette_hex),
                "fonts": list(self.constraints.fonts),
                "logo_safe_zone_pct": self.constraints.logo_safe_zone_pct,
            },
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> GenerationParams:
        """The parameters a job was submitted with (input images are loaded separately)."""
        c = record.get("constraints")
        constraints = None
        if isinstance(c, dict):
            constraints = BrandConstraints(tuple(c["palette_hex"]), tuple(c["fonts"]), float(c["logo_safe_zone_pct"]))
        return cls(
            prompt=str(record["prompt"]),
            model=str(record["model"]),
            n=int(record["n"]),
            width=int(record["width"]),
            height=int(record["height"]),
            output_format=OutputFormat(record["output_format"]),
            task=Task(record["task"]),
            negative_prompt=record.get("negative_prompt"),
            seed=record.get("seed"),
            guidance=record.get("guidance"),
            steps=record.get("steps"),
            quality=record.get("quality"),
            style=record.get("style"),
            background=record.get("background"),
            design_type=record.get("design_type"),
            constraints=constraints,
            extra=dict(record.get("extra") or {}),
        )
