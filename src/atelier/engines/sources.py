"""What kind of media each engine makes, in the IPTC digital source type vocabulary that
C2PA manifests use (``c2pa.created``'s ``digitalSourceType``).

The built-in design engine lays out shapes and type from rules and a seed: no trained model
touches its pixels, so its output is *algorithmic media*. Every other adapter (OpenAI and
OpenAI-compatible, Gemini, fal, Replicate, OpenRouter, local diffusers) runs a trained
generative model: *trained algorithmic media*. An engine added later is a model unless it is
listed here."""

from __future__ import annotations

from atelier.engines.design_engine import ENGINE_NAME as DESIGN_ENGINE

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
ALGORITHMIC_MEDIA = IPTC + "algorithmicMedia"
TRAINED_ALGORITHMIC_MEDIA = IPTC + "trainedAlgorithmicMedia"

#: Engines (adapter names, as in ``GenerationResult.engine``) whose output no trained model made.
ALGORITHMIC_ENGINES = frozenset({DESIGN_ENGINE})


def digital_source_type(engine: str) -> str:
    """The IPTC digital source type of what ``engine`` produces."""
    return ALGORITHMIC_MEDIA if engine in ALGORITHMIC_ENGINES else TRAINED_ALGORITHMIC_MEDIA
