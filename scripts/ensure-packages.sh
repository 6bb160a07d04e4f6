#!/usr/bin/env bash
# Installs the Debian packages QualityScan uses, when they are missing:
#   ffmpeg    - decodes mp3/ogg/flac/m4a recordings (WAV, incl. G.711, needs nothing)
#   sox       - audio measurements in tests and sample-call generation
#   espeak-ng - synthesises speech for tests and the sample calls
#   chromium  - the headless browser the coach-pack test opens the pages in
# Usage: scripts/ensure-packages.sh [package ...]   (default: ffmpeg sox espeak-ng)
set -euo pipefail
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(ffmpeg sox espeak-ng)
missing=()
for p in "${wanted[@]}"; do
  cmd=$p
  [ "$p" = "espeak-ng" ] && cmd=espeak-ng
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
