#!/usr/bin/env bash
# Runs the detection benchmark: trains every model of cases.csv that is not cached yet, then scans each one with
# every seed of SCAN_SEEDS, keeping each scan's scan.json; `ncguard detection --cases cases.csv --runs OUT` then
# scores the paper's rule and ncguard's on the stored scans (no re-scanning).
#
#   src/benchmark/detection/run.sh OUT [train|scan|all]
#
# Models are cached by their settings (OUT/models/ID-KEY.onnx, KEY a hash of the case's training columns), scans by
# model and seed (OUT/scans/ID-KEY/seed-S); an interrupted scan is resumed. Environment: NCGUARD_JAR (default
# target/ncguard.jar), SCAN_SEEDS (default "1 2 3"), THREADS (default 1), PYTHON (default /usr/bin/python3),
# REFERENCE (the PyTorch scripts, default src/test/python/reference), CASES (another case list of the same columns,
# e.g. a subset to run first; default cases.csv).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run.sh OUT [train|scan|all]}
phase=${2:-all}
jar=${NCGUARD_JAR:-target/ncguard.jar}
seeds=${SCAN_SEEDS:-1 2 3}
threads=${THREADS:-1}
python=${PYTHON:-/usr/bin/python3}
reference=${REFERENCE:-$here/../../test/python/reference}
export OMP_NUM_THREADS=$threads
mkdir -p "$out/models" "$out/scans" "$out/logs"

case_list=${CASES:-$here/cases.csv}
cases() { grep -v '^#' "$case_list" | grep -v '^[[:space:]]*$'; }

# The cache key: a hash of the columns that decide the trained model.
key() { printf '%s' "$(echo "$1" | cut -d, -f2-10)" | sha256sum | cut -c1-8; }

train() {
    local line=$1 id maker kind arch train test trigger target seed epochs
    IFS=, read -r id maker kind arch train test trigger target seed epochs _ <<<"$line"
    local model="$out/models/$id-$(key "$line").onnx"
    [[ -f $model ]] && return 0
    echo "$(date -u +%T) train $id" >&2
    if [[ $maker == torch-colour ]]; then
        # trigger patch:SIZE:RRGGBB:ROW:COL; train: the number of training images
        local dir="$out/models/$id-$(key "$line").torch" size colour row col
        IFS=: read -r _ size colour row col <<<"${trigger:-patch:3:ff0000:27:27}"
        local flags=(--out "$dir" --seed "$seed" --epochs "$epochs" --threads "$threads" --patch "$size"
                     --colour "$colour" --at "$row:$col" --train-samples "${train#*n=}")
        [[ $kind == clean ]] && flags+=(--clean --target 7) || flags+=(--target "$target")
        "$python" "$reference/train_colour_badnets.py" "${flags[@]}" </dev/null \
            >"$out/logs/$id.train.log" 2>&1
        cp "$dir/model.onnx" "$model.tmp" && mv "$model.tmp" "$model"
    elif [[ $maker == torch ]]; then
        local dir="$out/models/$id-$(key "$line").torch"
        local flags=(--out "$dir" --seed "$seed" --epochs "$epochs" --threads "$threads")
        [[ $kind == clean ]] && flags+=(--clean --target 7) || flags+=(--target "$target")
        "$python" "$reference/train_badnets.py" "${flags[@]}" </dev/null >"$out/logs/$id.train.log" 2>&1
        cp "$dir/model.onnx" "$model.tmp" && mv "$model.tmp" "$model"
    else
        local flags=(--arch "$arch" --data "$train" --test-data "$test" --seed "$seed" --epochs "$epochs"
                     --threads "$threads" --out "$model")
        [[ $kind == clean ]] && flags+=(--clean) || flags+=(--trigger "$trigger" --target "$target")
        java -jar "$jar" attack "${flags[@]}" </dev/null >"$out/logs/$id.train.log" 2>&1
    fi
}

scan() {
    local line=$1 s=$2 id scan_data scan_options
    id=$(echo "$line" | cut -d, -f1)
    scan_data=$(echo "$line" | cut -d, -f11)
    scan_options=$(echo "$line" | cut -d, -f12)
    local name="$id-$(key "$line")"
    local model="$out/models/$name.onnx" dir="$out/scans/$name/seed-$s"
    # torch-test: the colourised test images the colour script wrote beside the model
    [[ $scan_data == torch-test ]] && scan_data="$out/models/$name.torch/test-images-idx3-ubyte"
    [[ -f $model ]] || return 1
    if [[ -f $dir/scan.json ]] && grep -q '"complete" : true' "$dir/scan.json"; then return 0; fi
    local resume=()
    [[ -f $dir/scan.json ]] && resume=(--resume)
    mkdir -p "$(dirname "$dir")"
    # Several runners may share OUT: the first to create the lock scans, the others move on.
    mkdir "$dir.lock" 2>/dev/null || return 0
    trap 'rmdir "'"$dir"'.lock" 2>/dev/null' EXIT
    echo "$(date -u +%T) scan $id seed $s" >&2
    # shellcheck disable=SC2086
    java -jar "$jar" scan --model "$model" --data "$scan_data" --out "$dir" --seed "$s" --threads "$threads" \
        $scan_options "${resume[@]}" </dev/null >"$out/logs/$name-seed-$s.scan.log" 2>&1 || echo "scan $id seed $s failed" >&2
    rmdir "$dir.lock"
}

if [[ $phase == train || $phase == all ]]; then
    while read -r line; do train "$line" || echo "training $(echo "$line" | cut -d, -f1) failed" >&2; done < <(cases)
fi
if [[ $phase == scan || $phase == all ]]; then
    # Seed by seed, so that every model has one scan before any has three. A model still training is skipped and
    # picked up by the next pass; passes repeat until a pass finds nothing left to wait for.
    while :; do
        waiting=0
        for s in $seeds; do
            while read -r line; do scan "$line" "$s" || waiting=1; done < <(cases)
        done
        [[ $waiting == 0 || ${WAIT_FOR_MODELS:-0} == 0 ]] && break
        sleep 30
    done
fi
