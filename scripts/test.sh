#!/usr/bin/env bash
# Runs every QualityScan test: installs the Debian packages the audio tests use, then `dotnet test`.
# Tests that need ../shared (the reference test vectors beside the repository) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh ffmpeg sox espeak-ng
dotnet test QualityScan.sln -c Release --logger "console;verbosity=normal" "$@"
