#!/usr/bin/env bash
# check-sample-calls.sh - check the generated sample calls against their manifest and timelines.
#
# Usage:  bash scripts/check-sample-calls.sh
# Needs: sox (with MP3 reading, as Debian's sox has), awk.
#
# For every call in sample-audio/calls.csv it checks that the file is stereo at the rate its
# format implies and 30-120 s long, prints the peak and RMS level of each channel, and measures
# every line of the timeline on both channels: the speaker's own channel must carry speech
# (RMS >= -40 dBFS) and, where the other party is silent, stand at least 15 dB above the other
# channel (which only has crosstalk and noise there). Every overlap is listed with who started it
# and its length, and the party already speaking must really be talking (>= -40 dBFS in the 0.15 s
# before and after) when the other comes in. Exits non-zero when anything is off.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAMPLES="$ROOT/sample-audio"
failures=0

fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }

# rms_db FILE START END CHANNEL: RMS level in dBFS of one channel between START and END seconds.
rms_db() {
    sox "$1" -n trim "$2" "=$3" remix "$4" stat 2>&1 |
        awk '/RMS +amplitude/ { v = $3; print (v > 0 ? 20 * log(v) / log(10) : -200) }'
}

while IFS=, read -r file call_id _; do
    [[ $file == file ]] && continue
    path="$SAMPLES/$file" timeline="$SAMPLES/timelines/$call_id.csv"
    echo "$call_id ($file)"
    [[ -f $path ]] || { fail "missing $file"; continue; }
    [[ -f $timeline ]] || { fail "missing timeline"; continue; }

    channels=$(soxi -c "$path") rate=$(soxi -r "$path") duration=$(soxi -D "$path") encoding=$(soxi -e "$path")
    printf '  %s, %s Hz, %s channels, %.1f s\n' "$encoding" "$rate" "$channels" "$duration"
    ((channels == 2)) || fail "$channels channels, expected 2"
    case $file in
        *.mp3) [[ $rate == 16000 ]] || fail "rate $rate, expected 16000" ;;
        *) [[ ($rate == 16000 && $encoding == *Signed*) || ($rate == 8000 && $encoding == *-law*) ]] \
            || fail "unexpected $encoding at $rate Hz" ;;
    esac
    awk -v d="$duration" 'BEGIN { exit !(d < 30 || d > 120) }' && fail "duration $duration s outside 30-120 s"
    for ch in 1 2; do
        sox "$path" -n remix "$ch" stat 2>&1 | awk -v ch="$ch" '
            /Maximum amplitude/ { peak = $3 } /RMS +amplitude/ { rms = $3 }
            END { printf "  channel %d (%s): peak %.2f, RMS %.1f dBFS\n", ch - 1, ch == 1 ? "agent" : "customer", peak, 20 * log(rms) / log(10) }'
    done

    # Lines that overlap a line of the other speaker, and who started each overlap.
    overlapped=$(awk -F, 'NR > 1 { n++; ln[n] = $1; spk[n] = $2; s[n] = $4; e[n] = $5 }
        END {
            for (i = 1; i <= n; i++) for (j = 1; j <= n; j++)
                if (spk[i] != spk[j] && s[i] < e[j] && s[j] < e[i]) print ln[i]
        }' "$timeline" | sort -u | tr '\n' ' ')
    # Every overlap: who started it, for how long, and whether the party already speaking was really
    # talking when the other came in (not in the pause at a comma), so a voice-activity detector
    # sees it as speech over speech.
    while read -r by start under_start under_end length; do
        own=1 other=2
        [[ $by == customer ]] && own=2 other=1
        before=$(rms_db "$path" "$(awk -v s="$start" 'BEGIN { print (s > 0.15 ? s - 0.15 : 0) }')" "$start" "$other")
        after=$(rms_db "$path" "$start" "$(awk -v s="$start" 'BEGIN { print s + 0.15 }')" "$other")
        printf '  %s starts at %.3f s inside the other line %.3f-%.3f s: overlap %.3f s (other channel %.0f / %.0f dBFS just before / after)\n' \
            "$by" "$start" "$under_start" "$under_end" "$length" "$before" "$after"
        awk -v b="$before" -v a="$after" 'BEGIN { exit !(b < -40 || a < -40) }' \
            && fail "the $by comes in at $start s during a pause of the other party"
    done < <(awk -F, 'NR > 1 { n++; spk[n] = $2; s[n] = $4; e[n] = $5 }
        END {
            for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) {
                if (spk[i] == spk[j] || s[i] <= s[j] || s[i] >= e[j]) continue
                hi = e[i] < e[j] ? e[i] : e[j]
                printf "%s %.3f %.3f %.3f %.3f\n", spk[i], s[i], s[j], e[j], hi - s[i]
            }
        }' "$timeline")

    lines=0 min_margin=999
    while IFS=, read -r line speaker _ start end _; do
        [[ $line == line ]] && continue
        lines=$((lines + 1))
        own=1 other=2
        [[ $speaker == customer ]] && own=2 other=1
        own_db=$(rms_db "$path" "$start" "$end" "$own")
        other_db=$(rms_db "$path" "$start" "$end" "$other")
        awk -v o="$own_db" 'BEGIN { exit !(o < -40) }' && fail "line $line ($speaker $start-$end): own channel only $own_db dBFS"
        if [[ " $overlapped " != *" $line "* ]]; then
            margin=$(awk -v o="$own_db" -v t="$other_db" 'BEGIN { printf "%.1f", o - t }')
            awk -v m="$margin" 'BEGIN { exit !(m < 15) }' && fail "line $line ($speaker): only $margin dB above the other channel"
            min_margin=$(awk -v a="$min_margin" -v b="$margin" 'BEGIN { print (b < a ? b : a) }')
        fi
    done <"$timeline"
    echo "  $lines lines measured; own channel at least $min_margin dB above the other where only one party speaks"
done <"$SAMPLES/calls.csv"

if ((failures > 0)); then
    echo "$failures problem(s)"
    exit 1
fi
echo "all sample calls look as scripted"
