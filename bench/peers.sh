#!/usr/bin/env bash
# Build the benchmark peers' own virtual environment (LiteLLM's proxy, taskiq + taskiq-redis),
# apart from the project's: nothing here is a project dependency.
# Usage: bash bench/peers.sh [VENV_DIR]   (default: bench/.peers-venv, gitignored)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:-$here/.peers-venv}"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet 'litellm[proxy]' taskiq taskiq-redis uvicorn
LITELLM_LOCAL_MODEL_COST_MAP=True "$venv/bin/python" -c 'import litellm, taskiq, taskiq_redis; print("peers ready:", litellm.__name__, taskiq.__name__, taskiq_redis.__name__)'
echo "$venv"
