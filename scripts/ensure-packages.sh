#!/usr/bin/env bash
# Installs the Debian packages QualityScan uses, when they are missing:
#   ffmpeg    - decodes mp3/ogg/flac/m4a recordings (WAV, incl. G.711, needs nothing)
#   sox       - audio measurements in tests and sample-call generation
#   espeak-ng - synthesises speech for tests and the sample calls
#   bzip2     - tests build a model release archive (tar.bz2) with the system tar
#   systemd   - `systemd-analyze verify` checks the units in deploy/ (tests)
#   tzdata    - time zones (Europe/Warsaw) for file-name and manifest times
#   chromium  - the headless browser the coach-pack test opens the pages in
#   libreoffice-calc, poppler-utils, locales - the workbook test converts report.xlsx to PDF in the pl_PL.UTF-8 locale and reads its text;
#              the review-loop test saves review sheets with LibreOffice as Polish Excel does (; CSV in Windows-1250, .xlsx)
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
    poppler-utils) command -v pdftotext >/dev/null 2>&1 || missing+=("$p") ;;
    locales) command -v locale-gen >/dev/null 2>&1 || missing+=("$p") ;;
    *) command -v "$p" >/dev/null 2>&1 || missing+=("$p") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

# Another apt-get or unattended-upgrades on a fresh machine holds the dpkg lock for a while: wait for it (at most
# LOCK_WAIT_SECONDS, default 300) with a message, instead of failing at once. apt's own DPkg::Lock::Timeout covers the
# dpkg lock; the loop also covers the package-list lock of `apt-get update` and older apt versions.
lock_wait=${LOCK_WAIT_SECONDS:-300}
apt_waiting() {
  local deadline=$((SECONDS + lock_wait)) said="" out
  while :; do
    if out=$($sudo "$@" -o DPkg::Lock::Timeout="$lock_wait" 2>&1); then
      return 0
    fi
    if ! grep -qiE "could not get lock|unable to acquire the dpkg frontend lock|unable to lock" <<<"$out"; then
      printf '%s\n' "$out" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      printf '%s\n' "$out" >&2
      echo "gave up after ${lock_wait}s waiting for another package manager to finish (dpkg/apt lock held); run again when it is done" >&2
      return 1
    fi
    [ -n "$said" ] || echo "waiting for another package manager to finish (dpkg/apt lock held), up to ${lock_wait}s ..." >&2
    said=1
    sleep 5
  done
}
apt_waiting apt-get update -qq
apt_waiting apt-get install -y -qq --no-install-recommends "${missing[@]}"
