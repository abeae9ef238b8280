"""Process and host figures for /monitoring/metrics, read when asked."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psutil

_process = psutil.Process()
_process.cpu_percent(None)  # prime the counter so the first reading covers a real interval


def system_figures(started_at: float, data_dir: Path) -> dict[str, Any]:
    target = data_dir if data_dir.exists() else Path.cwd()
    return {
        "uptime_hours": round((time.time() - started_at) / 3600, 4),
        "memory_usage_mb": round(_process.memory_info().rss / (1024 * 1024), 1),
        "cpu_usage_percent": round(_process.cpu_percent(None), 1),
        "disk_usage_percent": round(psutil.disk_usage(str(target)).percent, 1),
    }
