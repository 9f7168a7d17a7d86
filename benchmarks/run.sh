#!/usr/bin/env bash
# Run the benchmarks in their own virtual environment (.venv-bench at the repo
# root), so that NegMAS never becomes a dependency of truce.
#
#   bash benchmarks/run.sh [--quick] [--seed N] [--repeats N] [--negmas-max N] [--json PATH]
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
venv="$repo_root/.venv-bench"
stamp="$venv/.installed"
requirements="$repo_root/benchmarks/requirements.txt"

if [ ! -x "$venv/bin/python" ]; then
    python3.11 -m venv "$venv"
    rm -f "$stamp"
fi
# truce is installed editable, so only a change of its metadata or of the
# pinned requirements needs a new install.
if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ "$repo_root/pyproject.toml" -nt "$stamp" ]; then
    echo "setting up $venv (log: $venv/install.log)" >&2
    if ! {
        "$venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
        "$venv/bin/python" -m pip install --disable-pip-version-check -e "$repo_root" -r "$requirements"
    } >"$venv/install.log" 2>&1; then
        tail -n 30 "$venv/install.log" >&2
        exit 1
    fi
    touch "$stamp"
fi

exec "$venv/bin/python" "$repo_root/benchmarks/pareto.py" "$@"
