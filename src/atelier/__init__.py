"""Atelier: a self-hosted design and image generation platform."""

__version__ = "0.1.0"
