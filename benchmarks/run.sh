#!/usr/bin/env bash
# Run the benchmarks in their own virtual environment (.venv-bench at the repo
# root), so that NegMAS never becomes a dependency of truce.
#
#   bash benchmarks/run.sh [pareto|pareto_parties|simulate|forecast|startup|tournament|interchange|all] [options]
#
#   bash benchmarks/run.sh                          # every benchmark, full size
#   bash benchmarks/run.sh --quick                  # every benchmark, smoke run
#   bash benchmarks/run.sh pareto [--quick] [--seed N] [--repeats N] [--negmas-max N] [--json PATH]
#   bash benchmarks/run.sh pareto_parties [--quick] [--seed N] [--repeats N] [--negmas-max N] [--json PATH]
#   bash benchmarks/run.sh simulate [--quick] [--seed N] [--problems N] [--json PATH]
#   bash benchmarks/run.sh forecast [--quick] [--seed N] [--repeat N] [--json PATH]
#   bash benchmarks/run.sh startup [--quick] [--runs N] [--json PATH]
#   bash benchmarks/run.sh tournament [--quick] [--seed N] [--domains N] [--repetitions N] [--keep DIR] [--json PATH]
#   bash benchmarks/run.sh interchange [--quick] [--seed N] [--repeats N] [--json PATH] [--domains DIR...]
#
# Without a benchmark name every benchmark runs, in turn, with the options
# they share (--quick, --seed, --json) and each with its own (--repeats and
# --negmas-max go to pareto and pareto_parties only (--repeats to interchange too), --problems to simulate only, --repeat to
# forecast only, --runs to startup only, --domains, --repetitions and --keep to tournament only); --json PATH
# then writes PATH with the benchmark's name before the extension
# (figures.json -> figures.pareto.json, figures.simulate.json). The exit
# status is 1 if any target of any benchmark failed.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
venv="$repo_root/.venv-bench"
stamp="$venv/.installed"
requirements="$repo_root/benchmarks/requirements.txt"
benchmarks=(pareto pareto_parties simulate forecast startup tournament interchange)
# options that belong to one benchmark only, each taking a value
only_pareto=(--repeats --negmas-max)
only_simulate=(--problems)
only_forecast=(--repeat)
only_startup=(--runs)
only_tournament=(--domains --repetitions --keep)

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

selected=all
if [ $# -gt 0 ]; then
    case "$1" in
        pareto | pareto_parties | simulate | forecast | startup | tournament | interchange | all) selected="$1"; shift ;;
    esac
fi
if [ "$selected" != all ]; then
    exec "$venv/bin/python" "$repo_root/benchmarks/$selected.py" "$@"
fi

# true when $1 is one of the following words
is_one_of() {
    local word="$1"; shift
    local candidate
    for candidate in "$@"; do
        [ "$word" = "$candidate" ] && return 0
    done
    return 1
}

# the arguments for benchmark $1 out of "$@" after it: drop the other
# benchmarks' own options (with their values) and name the --json file per benchmark
arguments_for() {
    local name="$1"; shift
    local foreign=()
    [ "$name" = pareto ] || [ "$name" = pareto_parties ] && foreign=("${only_simulate[@]}" "${only_forecast[@]}" "${only_startup[@]}" "${only_tournament[@]}")
    [ "$name" = simulate ] && foreign=("${only_pareto[@]}" "${only_forecast[@]}" "${only_startup[@]}" "${only_tournament[@]}")
    [ "$name" = forecast ] && foreign=("${only_pareto[@]}" "${only_simulate[@]}" "${only_startup[@]}" "${only_tournament[@]}")
    [ "$name" = startup ] && foreign=("${only_pareto[@]}" "${only_simulate[@]}" "${only_forecast[@]}" "${only_tournament[@]}")
    [ "$name" = tournament ] && foreign=("${only_pareto[@]}" "${only_simulate[@]}" "${only_forecast[@]}" "${only_startup[@]}")
    [ "$name" = interchange ] && foreign=(--negmas-max "${only_simulate[@]}" "${only_forecast[@]}" "${only_startup[@]}" "${only_tournament[@]}")
    kept=()
    while [ $# -gt 0 ]; do
        local option="${1%%=*}"
        if is_one_of "$option" "${foreign[@]}"; then
            [ "$option" = "$1" ] && shift  # "--option value", not "--option=value"
            shift
            continue
        fi
        if [ "$option" = --json ]; then
            local path
            if [ "$option" = "$1" ]; then path="${2:-}"; shift; else path="${1#*=}"; fi
            case "$path" in
                *.json) path="${path%.json}.$name.json" ;;
                *) path="$path.$name.json" ;;
            esac
            kept+=(--json "$path")
            shift
            continue
        fi
        kept+=("$1")
        shift
    done
}

status=0
for name in "${benchmarks[@]}"; do
    arguments_for "$name" "$@"
    echo "== benchmarks/$name.py ${kept[*]:-}" >&2
    "$venv/bin/python" "$repo_root/benchmarks/$name.py" ${kept[@]+"${kept[@]}"} || status=1
done
exit "$status"
