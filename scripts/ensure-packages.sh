#!/usr/bin/env bash
# Installs the Debian packages QualityScan uses, when they are missing:
#   ffmpeg    - decodes mp3/ogg/flac/m4a recordings (WAV, incl. G.711, needs nothing)
#   sox       - audio measurements in tests and sample-call generation
#   espeak-ng - synthesises speech for tests and the sample calls
#   bzip2     - tests build a model release archive (tar.bz2) with the system tar
#   systemd   - `systemd-analyze verify` checks the units in deploy/ (tests)
#   tzdata    - time zones (Europe/Warsaw) for file-name and manifest times
#   chromium  - the headless browser the coach-pack test opens the pages in
#   libreoffice-calc - saves review sheets as Polish Excel does (; CSV in Windows-1250, .xlsx) in the review-loop test
#   slurm-wlm, munge - a single-node Slurm that scripts/slurm-test.sh runs deploy/slurm on
# Usage: scripts/ensure-packages.sh [package ...]   (default: ffmpeg sox espeak-ng systemd tzdata)
set -euo pipefail
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(ffmpeg sox espeak-ng systemd tzdata)
missing=()
for p in "${wanted[@]}"; do
  case "$p" in
    systemd) command -v systemd-analyze >/dev/null 2>&1 || missing+=("$p") ;;
    tzdata) [ -e /usr/share/zoneinfo/Europe/Warsaw ] || missing+=("$p") ;;
    slurm-wlm) command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 || missing+=("$p") ;;
    munge) command -v munged >/dev/null 2>&1 || missing+=("$p") ;;
    libreoffice-calc) command -v soffice >/dev/null 2>&1 || missing+=("$p") ;;
    *) command -v "$p" >/dev/null 2>&1 || missing+=("$p") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
