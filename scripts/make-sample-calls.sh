#!/usr/bin/env bash
# make-sample-calls.sh - synthesise QualityScan's sample calls from the call scripts.
#
# Usage:  bash scripts/make-sample-calls.sh [CALL_ID ...]
#   Without arguments every sample-audio/scripts/*.txt is synthesised; with call ids (script names
#   without .txt) only those. calls.csv, expected.csv and the call table in sample-audio/README.md
#   are rebuilt from all scripts every time, so they never disagree with the scripts.
# Needs: espeak-ng, sox, ffmpeg (Debian/Ubuntu: apt-get install espeak-ng sox ffmpeg), awk.
#
# Writes, per call script sample-audio/scripts/<call_id>.txt:
#   sample-audio/<agent_id>/<call_id>.wav|.mp3   the stereo call (agent = left/channel 0,
#                                                customer = right/channel 1)
#   sample-audio/timelines/<call_id>.csv         where every line was placed, in seconds:
#                                                line,speaker,channel,start,end,text
#
# Call script format (UTF-8, one file per call):
#   Header lines "# key: value" (all before or between turns; order free):
#     agent_id, agent_name, company, language (pl|cs), started_at (ISO 8601)
#     format        wav16 (16 kHz 16-bit PCM) | alaw8 | mulaw8 (8 kHz G.711, low-passed to ~3.9 kHz)
#                   | mp3 (16 kHz, 48 kbit/s, ffmpeg/libmp3lame) | mp3small (the same at 24 kbit/s)
#     agent_voice, customer_voice    espeak-ng voice with variant, e.g. pl+f3, cs+m2
#     agent_speed, customer_speed    words per minute (default 150 / 160)
#     agent_pitch, customer_pitch    0-99 (default 50)
#     expect        greeting=pass interruption=fail politeness=pass dont_know=pass closing=pass hold=n/a monologue=pass empathy=n/a
#                   (pass, fail or n/a for every check; hold, monologue and empathy are defined in the rule packs)
#     about         one line for the README table: what the call demonstrates
#   Other lines starting with "#" are comments; blank lines are ignored.
#   Turn lines:  speaker|start|text
#     speaker  agent | customer
#     start    12.5   absolute, seconds from the start of the recording
#              +0.6   0.6 s after the end of everything said so far (the latest end)
#              -1.5   1.5 s before that latest end: an overlap with whoever was still speaking
#              ^3.0   3.0 s after the start of the previous line (put a backchannel or an
#                     interruption inside a long sentence; the next "+gap" still counts from the
#                     latest end, i.e. after the long sentence)
#     text     what espeak-ng says; keep "|" out of it.
#   Lines of the same speaker must not overlap (one voice per channel).
#
# How a call is built: each line is spoken by espeak-ng (fixed voice, speed and pitch, so the
# output is the same on every run with the same espeak-ng), resampled to 16 kHz, trimmed of
# leading/trailing silence and peak-normalised (agent -4 dBFS, customer -6 dBFS). The lines are
# placed on their speaker's channel at their start times; each channel then gets the other party's
# voice at -25 dB (recorder crosstalk) and independent pink noise at about -55 dBFS. sox runs with
# -R, so noise and dither are repeatable and a regeneration gives identical files.
# Timelines give the positions before encoding; an mp3 decoder that ignores the encoder delay
# reports everything about 0.07 s later.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAMPLES="$ROOT/sample-audio"
SCRIPTS="$SAMPLES/scripts"
TIMELINES="$SAMPLES/timelines"
RATE=16000                 # working rate of every intermediate file
CROSSTALK_DB=-25           # the other party's level on each channel
NOISE_VOL=0.01             # pink noise amplitude (RMS about -55 dBFS)
AGENT_PEAK_DB=-4
CUSTOMER_PEAK_DB=-6
TAIL_SECONDS=0.8           # silence after the last line
MIN_SECONDS=30
MAX_SECONDS=120
CHECKS=(greeting interruption politeness dont_know closing hold monologue empathy)
KNOWN_KEYS=" agent_id agent_name company language started_at format agent_voice customer_voice agent_speed customer_speed agent_pitch customer_pitch expect about "

SOX=(sox -R -V2)

die() { echo "make-sample-calls: $*" >&2; exit 1; }
warn() { echo "make-sample-calls: warning: $*" >&2; }

for tool in espeak-ng sox soxi ffmpeg ffprobe awk; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install espeak-ng sox ffmpeg)"
done

# parse_script FILE [headers-only]: fills H (headers), EXPECT (check -> outcome) and the turn arrays.
parse_script() {
    local file=$1 headers_only=${2:-} n=0 line key value spk when text
    H=(); EXPECT=(); T_SPK=(); T_WHEN=(); T_TEXT=(); T_LINE=()
    while IFS= read -r line || [[ -n $line ]]; do
        n=$((n + 1))
        line=${line%$'\r'}
        [[ -z ${line//[[:space:]]/} ]] && continue
        if [[ $line =~ ^#[[:space:]]*([a-z_]+):[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]]; then
            key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
            if [[ $KNOWN_KEYS == *" $key "* ]]; then
                H[$key]=$value
            else
                warn "$file:$n: unknown header '$key' (treated as a comment)"
            fi
            continue
        fi
        [[ $line == \#* ]] && continue
        [[ -n $headers_only ]] && continue
        IFS='|' read -r spk when text <<<"$line"
        [[ $spk == agent || $spk == customer ]] || die "$file:$n: speaker must be agent or customer, got '$spk'"
        [[ $when =~ ^([+^-]?)[0-9]+(\.[0-9]+)?$ ]] || die "$file:$n: start must be like 12.5, +0.6, -1.5 or ^3.0, got '$when'"
        [[ -n ${text//[[:space:]]/} ]] || die "$file:$n: empty text"
        [[ $text != *"|"* ]] || die "$file:$n: '|' in the text"
        T_SPK+=("$spk"); T_WHEN+=("$when"); T_TEXT+=("$text"); T_LINE+=("$n")
    done <"$file"

    for key in agent_id agent_name company language started_at format expect; do
        [[ -n ${H[$key]:-} ]] || die "$file: missing header '# $key: ...'"
    done
    [[ ${H[language]} == pl || ${H[language]} == cs ]] || die "$file: language must be pl or cs"
    [[ ${H[format]} =~ ^(wav16|alaw8|mulaw8|mp3|mp3small)$ ]] || die "$file: format must be wav16, alaw8, mulaw8, mp3 or mp3small"
    [[ ${H[agent_id]} =~ ^[a-z0-9_-]+$ ]] || die "$file: agent_id must be lower-case letters, digits, - or _"
    [[ ${H[started_at]} =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$ ]] \
        || die "$file: started_at must be ISO 8601 like 2026-11-22T09:15:00+01:00"
    local pair check outcome
    for pair in ${H[expect]}; do
        check=${pair%%=*} outcome=${pair#*=}
        [[ " ${CHECKS[*]} " == *" $check "* ]] || die "$file: expect: unknown check '$check'"
        [[ $outcome == pass || $outcome == fail || $outcome == n/a ]] || die "$file: expect: $check must be pass, fail or n/a"
        EXPECT[$check]=$outcome
    done
    for check in "${CHECKS[@]}"; do
        [[ -n ${EXPECT[$check]:-} ]] || die "$file: expect: no outcome for '$check'"
    done
    if [[ -z $headers_only && ${#T_SPK[@]} -eq 0 ]]; then die "$file: no turn lines"; fi
    return 0
}

extension_of() { [[ $1 == mp3* ]] && echo mp3 || echo wav; }

# csv_field VALUE: the value as one CSV field, quoted only when it holds a comma, quote or newline.
csv_field() {
    if [[ $1 == *[,\"$'\n']* ]]; then local s=${1//\"/\"\"}; printf '"%s"' "$s"; else printf '%s' "$1"; fi
}

seconds_to_samples() { awk -v s="$1" -v r="$RATE" 'BEGIN { printf "%d", (s < 0 ? -1 : 1) * int((s < 0 ? -s : s) * r + 0.5) }'; }

samples_to_seconds() { awk -v n="$1" -v r="$RATE" 'BEGIN { printf "%.3f", n / r }'; }

# synthesise CALL_ID: builds the audio file and the timeline of one call.
synthesise() {
    local call_id=$1 file="$SCRIPTS/$1.txt"
    [[ -f $file ]] || die "no script $file"
    parse_script "$file"

    local work="$WORK/$call_id"
    mkdir -p "$work"

    local -A voice speed pitch peak
    voice[agent]=${H[agent_voice]:-${H[language]}+f3}
    voice[customer]=${H[customer_voice]:-${H[language]}+m3}
    speed[agent]=${H[agent_speed]:-150}
    speed[customer]=${H[customer_speed]:-160}
    pitch[agent]=${H[agent_pitch]:-50}
    pitch[customer]=${H[customer_pitch]:-50}
    peak[agent]=$AGENT_PEAK_DB
    peak[customer]=$CUSTOMER_PEAK_DB

    local -a start len
    local i spk when offset latest_end=0 prev_start=0 clip
    for i in "${!T_SPK[@]}"; do
        spk=${T_SPK[$i]} when=${T_WHEN[$i]} clip="$work/clip$i.sox"
        espeak-ng -v "${voice[$spk]}" -s "${speed[$spk]}" -p "${pitch[$spk]}" --stdin -w "$work/raw.wav" <<<"${T_TEXT[$i]}"
        "${SOX[@]}" "$work/raw.wav" -r "$RATE" "$clip" \
            silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse gain -n "${peak[$spk]}"
        len[i]=$(soxi -s "$clip")
        case $when in
            +* | -*) offset=$(seconds_to_samples "$when"); start[i]=$((latest_end + offset)) ;;
            ^*) offset=$(seconds_to_samples "${when#^}"); start[i]=$((prev_start + offset)) ;;
            *) start[i]=$(seconds_to_samples "$when") ;;
        esac
        ((start[i] >= 0)) || die "$file:${T_LINE[$i]}: the line would start before the recording"
        prev_start=${start[i]}
        ((start[i] + len[i] > latest_end)) && latest_end=$((start[i] + len[i]))
    done
    local total=$((latest_end + $(seconds_to_samples "$TAIL_SECONDS")))

    # One mono track per speaker: each clip padded with the silence since the speaker's last clip.
    local -a segments
    local order cursor gap
    for spk in agent customer; do
        segments=() cursor=0
        order=$(for i in "${!T_SPK[@]}"; do if [[ ${T_SPK[$i]} == "$spk" ]]; then echo "${start[i]} $i"; fi; done | sort -n -k1,1 | awk '{print $2}')
        for i in $order; do
            gap=$((start[i] - cursor))
            ((gap >= 0)) || die "$file:${T_LINE[$i]}: overlaps the $spk's previous line by $(samples_to_seconds $((-gap))) s (one voice per channel)"
            "${SOX[@]}" "$work/clip$i.sox" "$work/seg$i.sox" pad "${gap}s" 0
            segments+=("$work/seg$i.sox")
            cursor=$((start[i] + len[i]))
        done
        if ((${#segments[@]} == 0)); then
            "${SOX[@]}" -n -r "$RATE" -c 1 "$work/$spk.sox" trim 0 "${total}s"
        else
            "${SOX[@]}" "${segments[@]}" "$work/$spk.sox" pad 0 "$((total - cursor))s"
        fi
    done

    local xt
    xt=$(awk -v db="$CROSSTALK_DB" 'BEGIN { printf "%.4f", 10 ^ (db / 20) }')
    "${SOX[@]}" -M "$work/agent.sox" "$work/customer.sox" "$work/voices.sox" remix "1v1,2v$xt" "2v1,1v$xt"
    "${SOX[@]}" -n -r "$RATE" -c 2 "$work/noise.sox" synth "${total}s" pinknoise pinknoise vol "$NOISE_VOL"
    "${SOX[@]}" -m -v 1 "$work/voices.sox" -v 1 "$work/noise.sox" "$work/mix.sox"

    local dir="$SAMPLES/${H[agent_id]}" ext out
    ext=$(extension_of "${H[format]}")
    out="$dir/$call_id.$ext"
    mkdir -p "$dir"
    rm -f "$dir/$call_id.wav" "$dir/$call_id.mp3"
    case ${H[format]} in
        wav16) "${SOX[@]}" "$work/mix.sox" -r 16000 -e signed-integer -b 16 "$out" ;;
        # Telephone band: low-pass only (the 8 kHz resampler cuts above about 3.9 kHz). A 300 Hz
        # high-pass as on a real line is left out on purpose: the shipped demo model was trained on
        # espeak-ng speech that was only resampled to 8 kHz and mishears nearly every high-passed line
        # (names, companies, whole greetings); a real Whisper model copes with either.
        alaw8) "${SOX[@]}" "$work/mix.sox" -r 8000 -e a-law -b 8 "$out" rate 8000 ;;
        mulaw8) "${SOX[@]}" "$work/mix.sox" -r 8000 -e u-law -b 8 "$out" rate 8000 ;;
        mp3)
            "${SOX[@]}" "$work/mix.sox" -e signed-integer -b 16 "$work/mix.wav"
            ffmpeg -nostdin -hide_banner -loglevel error -y -i "$work/mix.wav" -map_metadata -1 \
                -fflags +bitexact -flags:a +bitexact -c:a libmp3lame -b:a 48k -joint_stereo 0 "$out"
            ;;
        # Half the bit rate, for the longer calls (pauses, monologues), so the samples stay small.
        mp3small)
            "${SOX[@]}" "$work/mix.sox" -e signed-integer -b 16 "$work/mix.wav"
            ffmpeg -nostdin -hide_banner -loglevel error -y -i "$work/mix.wav" -map_metadata -1 \
                -fflags +bitexact -flags:a +bitexact -c:a libmp3lame -b:a 24k -joint_stereo 0 "$out"
            ;;
    esac

    mkdir -p "$TIMELINES"
    {
        echo "line,speaker,channel,start,end,text"
        for i in "${!T_SPK[@]}"; do
            printf '%s,%s,%s,%s,%s,%s\n' "${T_LINE[$i]}" "${T_SPK[$i]}" \
                "$([[ ${T_SPK[$i]} == agent ]] && echo left || echo right)" \
                "$(samples_to_seconds "${start[i]}")" "$(samples_to_seconds $((start[i] + len[i])))" \
                "$(csv_field "${T_TEXT[$i]}")"
        done
    } >"$TIMELINES/$call_id.csv"

    local seconds
    seconds=$(samples_to_seconds "$total")
    echo "$call_id: ${out#"$SAMPLES"/} ${H[format]} ${seconds} s"
    awk -v a="$seconds" -v lo="$MIN_SECONDS" -v hi="$MAX_SECONDS" 'BEGIN { exit !(a < lo || a > hi) }' \
        && warn "$call_id is $seconds s long, outside $MIN_SECONDS-$MAX_SECONDS s"
    report_overlaps "$TIMELINES/$call_id.csv"
    rm -rf "$work"
}

# report_overlaps TIMELINE: prints every agent/customer overlap, who started it and how long it is.
report_overlaps() {
    awk -F, 'NR > 1 { n++; spk[n] = $2; s[n] = $4; e[n] = $5 }
        END {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
                if (spk[i] == spk[j]) continue
                lo = (s[i] > s[j]) ? s[i] : s[j]; hi = (e[i] < e[j]) ? e[i] : e[j]
                if (hi <= lo) continue
                by = (s[i] > s[j]) ? spk[i] : spk[j]
                printf "    overlap %7.3f-%7.3f s  %5.3f s  started by %s\n", lo, hi, hi - lo, by
            }
        }' "$1"
}

media_seconds() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1" | awk '{ printf "%.1f", $1 }'; }

# write_indexes: calls.csv, expected.csv and the README table, from all scripts' headers.
write_indexes() {
    local file call_id ext rel check duration row
    local calls expected rows=""
    calls="file,call_id,agent_id,agent_name,company,language,agent_channel,started_at"
    expected="call_id,$(IFS=,; echo "${CHECKS[*]}")"
    for file in "$SCRIPTS"/*.txt; do
        call_id=$(basename "$file" .txt)
        parse_script "$file" headers-only
        ext=$(extension_of "${H[format]}")
        rel="${H[agent_id]}/$call_id.$ext"
        calls+=$'\n'"$rel,$call_id,${H[agent_id]},$(csv_field "${H[agent_name]}"),$(csv_field "${H[company]}"),${H[language]},left,${H[started_at]}"
        row="$call_id"
        for check in "${CHECKS[@]}"; do row+=",${EXPECT[$check]}"; done
        expected+=$'\n'"$row"
        if [[ -f $SAMPLES/$rel ]]; then duration=$(media_seconds "$SAMPLES/$rel"); else duration="?"; warn "$rel not generated yet"; fi
        row="| [$call_id]($rel) | ${H[agent_id]} | ${H[language]} | ${H[format]} | $duration"
        for check in "${CHECKS[@]}"; do row+=" | ${EXPECT[$check]}"; done
        rows+="$row | ${H[about]:-} |"$'\n'
    done
    printf '%s\n' "$calls" >"$SAMPLES/calls.csv"
    printf '%s\n' "$expected" >"$SAMPLES/expected.csv"

    local readme="$SAMPLES/README.md"
    if [[ -f $readme ]] && grep -q '^<!-- calls:begin -->$' "$readme" && grep -q '^<!-- calls:end -->$' "$readme"; then
        local table="| call | agent | lang | format | seconds | $(IFS='|'; echo "${CHECKS[*]}" | sed 's/|/ | /g') | demonstrates |"$'\n'
        table+="|---|---|---|---|---:|$(printf -- '---|%.0s' "${CHECKS[@]}")---|"$'\n'"$rows"
        awk -v table="$table" '
            /^<!-- calls:begin -->$/ { print; printf "%s", table; skip = 1; next }
            /^<!-- calls:end -->$/ { skip = 0 }
            !skip' "$readme" >"$readme.tmp" && mv "$readme.tmp" "$readme"
    else
        warn "$readme has no <!-- calls:begin --> / <!-- calls:end --> lines; call table not updated"
    fi
}

declare -A H EXPECT
declare -a T_SPK T_WHEN T_TEXT T_LINE
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if (($# > 0)); then
    ids=("$@")
else
    ids=()
    for f in "$SCRIPTS"/*.txt; do ids+=("$(basename "$f" .txt)"); done
fi
((${#ids[@]} > 0)) || die "no call scripts in $SCRIPTS"
for id in "${ids[@]}"; do synthesise "${id%.txt}"; done
write_indexes
echo "wrote calls.csv, expected.csv and the README table for $(find "$SCRIPTS" -name '*.txt' | wc -l) scripts"
