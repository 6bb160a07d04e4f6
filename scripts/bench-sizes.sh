#!/usr/bin/env bash
# Speed of QualityScan at real Whisper sizes, for the README's table: for every model folder given, one sample call
# decoded at a fixed 5 tokens per second of speech (random-weight models babble; 5/s models Polish conversation),
# one window per voice-activity chunk and packed windows, with the decoder rebuilt at load and with the model's
# original sherpa-onnx decoder graph.
#
#   scripts/bench-sizes.sh MODEL_FOLDER...
#
# Random-weight models of real sizes: /usr/bin/python3 ../shared/tools/export_dims.py small /tmp/small --int8
# (Debian's python3-torch, python3-onnx, libopenblas0-pthread). whisper.cpp's anchor on the same machine:
# whisper-bench -m <ggml model of the same dims> -t 2. Run on an otherwise idle machine: check `uptime` first.
set -euo pipefail
cd "$(dirname "$0")/.."
call=sample-audio/kkowalska/pl01-all-pass.wav
dotnet build Pipeline/Pipeline.csproj -c Release --nologo -v quiet >/dev/null
bin=Pipeline/bin/Release/net10.0/qualityscan
for model in "$@"; do
  for decoder in rebuilt original; do
    for windowing in packed chunk; do
      echo "== $(basename "$model") decoder=$decoder windowing=$windowing (load $(cut -d' ' -f1-3 /proc/loadavg))"
      "$bin" bench transcribe "$call" --model "$model" --tokens-per-second 5 --windowing "$windowing" --decoder "$decoder" --runs 2 \
        | grep -E 'decoder:|encoder|speech|best'
    done
  done
done
