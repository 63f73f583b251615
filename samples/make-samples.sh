#!/usr/bin/env bash
# Regenerates the sample clips in samples/ (16 kHz mono 16-bit WAV, one MP3) and samples/samples.json with their event spans.
#
# Needs: sox with mp3 support (Debian/Ubuntu: apt-get install sox libsox-fmt-mp3, or libsox-fmt-all),
#        espeak-ng, awk.
# Deterministic: every sox call runs with -R (fixed seed for its noise generators) and -D (no dither), and
# espeak-ng renders the same text identically; the same tool versions give byte-identical files
# (made with SoX 14.4.2 and eSpeak NG 1.51).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

for tool in sox soxi espeak-ng awk; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "make-samples.sh: '$tool' is required but not installed (Debian/Ubuntu: apt-get install sox libsox-fmt-mp3 espeak-ng)" >&2
    exit 1
  fi
done
if ! sox -h | grep -q 'AUDIO FILE FORMATS:.* mp3'; then
  echo "make-samples.sh: this sox cannot write mp3 (Debian/Ubuntu: apt-get install libsox-fmt-mp3)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

RATE=16000
# Output format of every intermediate and final WAV: 16 kHz, mono, 16-bit signed.
FMT=(-r "$RATE" -c 1 -b 16 -e signed-integer)
sx() { sox -D -R "$@"; }
seconds() { soxi -D "$1"; }
add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }

# Speech: espeak-ng (22.05 kHz), resampled, leading/trailing silence cut so the span is exactly the voice,
# peak-normalised to -3 dBFS.
speak() { # speak OUT TEXT
  espeak-ng -v en-us -s 150 -w "$work/tts.wav" "$2"
  sx "$work/tts.wav" "${FMT[@]}" "$1" rate -v "$RATE" silence 1 0.01 -45d reverse silence 1 0.01 -45d reverse gain -n -3
}

# Siren, "wail" style, a sawtooth (its harmonics make it a siren to YAMNet; a pure sine sweep reads as Theremin): linear sweeps 600 -> 1400 -> 600 Hz, 1.25 s each way (2.5 s period). A linear sweep
# over 1.25 s runs (600+1400)/2 x 1.25 = 1250 whole cycles, so every piece ends at phase 0 and the joins do not click.
siren() { # siren OUT PERIODS
  sx -n "${FMT[@]}" "$work/up.wav" synth 1.25 sawtooth 600:1400
  sx -n "${FMT[@]}" "$work/down.wav" synth 1.25 sawtooth 1400:600
  sx "$work/up.wav" "$work/down.wav" "$1" repeat $(($2 - 1)) fade t 0.05 0 0.05 gain -n -4
}

# Background noise: pink (hiss) plus brown (rumble), peak-normalised to PEAK dBFS.
noise() { # noise OUT SECONDS PEAK_DB
  sx -n "${FMT[@]}" "$work/pink.wav" synth "$2" pinknoise
  sx -n "${FMT[@]}" "$work/brown.wav" synth "$2" brownnoise
  sx -m "$work/pink.wav" "$work/brown.wav" "$1" gain -n "$3"
}

# Places SRC at START seconds on a canvas of TOTAL seconds (silence elsewhere).
place() { # place OUT SRC START TOTAL
  local len end_pad
  len="$(seconds "$2")"
  end_pad="$(awk -v t="$4" -v s="$3" -v l="$len" 'BEGIN { printf "%.6f", t - s - l }')"
  sx "$2" "$1" pad "$3" "$end_pad"
}

# Mixes equally long WAVs without sox -m's 1/n scaling (levels were set above), into OUT.
mix() { # mix OUT IN...
  local out="$1" inputs=()
  shift
  for input in "$@"; do inputs+=(-v 1 "$input"); done
  sx -m "${inputs[@]}" "${FMT[@]}" "$out"
}

json_events=()
record() { # record FILE DURATION "Class|start|end" ...
  local file="$1" duration="$2" events=() class start end
  shift 2
  for event in "$@"; do
    IFS='|' read -r class start end <<<"$event"
    events+=("{ \"class\": \"$class\", \"startSec\": $start, \"endSec\": $end }")
  done
  local joined
  joined="$(printf '%s, ' "${events[@]}")"
  json_events+=("  { \"file\": \"$file\", \"durationSec\": $duration, \"events\": [${joined%, }] }")
}

# speech.wav: 9 s; a sentence from 1.0 s over quiet noise (peak -30 dBFS).
speak "$work/speech.wav" "Hello. This is a short test of speech detection. The quick brown fox jumps over the lazy dog."
place "$work/speech-placed.wav" "$work/speech.wav" 1.0 9
noise "$work/noise9.wav" 9 -30
mix speech.wav "$work/speech-placed.wav" "$work/noise9.wav"
record speech.wav 9 "Speech|1.000|$(add 1.0 "$(seconds "$work/speech.wav")")"

# speech.mp3: the same clip as 32 kb/s MP3, to exercise a lossy, compressed format. sox's LAME writes no gapless
# info, so decoders keep LAME's 576-sample encoder delay plus the 529-sample decoder delay: everything comes
# 1105 samples (0.069 s) late, and the decoded clip is 9.072 s long (measured by cross-correlation with speech.wav).
MP3_DELAY=0.069
sx speech.wav -C 32 speech.mp3
record speech.mp3 "$(add 0 "$(seconds speech.mp3)")" \
  "Speech|$(add 1.0 "$MP3_DELAY")|$(add "$(add 1.0 "$(seconds "$work/speech.wav")")" "$MP3_DELAY")"

# siren.wav: 10 s; street-like noise throughout (peak -20 dBFS), a wailing siren (peak -4 dBFS) from 2.0 to 9.5 s.
siren "$work/siren.wav" 3
place "$work/siren-placed.wav" "$work/siren.wav" 2.0 10
noise "$work/noise10.wav" 10 -20
mix siren.wav "$work/siren-placed.wav" "$work/noise10.wav"
record siren.wav 10 "Siren|2.000|$(add 2.0 "$(seconds "$work/siren.wav")")"

# tones.wav: 6.5 s of digital silence holding a pure 440 Hz sine (0.5-3.5 s, -6 dBFS) and four 1 kHz beeps
# (0.2 s on, 0.3 s off) from 4.0 to 5.7 s.
sx -n "${FMT[@]}" "$work/sine.wav" synth 3 sine 440 fade t 0.01 0 0.01 gain -n -6
sx -n "${FMT[@]}" "$work/beep.wav" synth 0.2 sine 1000 fade t 0.005 0 0.005 gain -n -6 pad 0 0.3
sx "$work/beep.wav" "$work/beeps.wav" repeat 3 trim 0 1.7
place "$work/sine-placed.wav" "$work/sine.wav" 0.5 6.5
place "$work/beeps-placed.wav" "$work/beeps.wav" 4.0 6.5
mix tones.wav "$work/sine-placed.wav" "$work/beeps-placed.wav"
record tones.wav 6.5 "Sine wave|0.500|3.500" "Beep, bleep|4.000|5.700"

# mixture.wav: 10 s; light noise throughout (peak -30 dBFS), speech from 0.5 s, then a siren from 5.0 to 10.0 s.
speak "$work/speech2.wav" "Attention please. Move to the side of the road."
place "$work/speech2-placed.wav" "$work/speech2.wav" 0.5 10
siren "$work/siren2.wav" 2
place "$work/siren2-placed.wav" "$work/siren2.wav" 5.0 10
noise "$work/noise10b.wav" 10 -30
mix mixture.wav "$work/speech2-placed.wav" "$work/siren2-placed.wav" "$work/noise10b.wav"
record mixture.wav 10 "Speech|0.500|$(add 0.5 "$(seconds "$work/speech2.wav")")" "Siren|5.000|$(add 5.0 "$(seconds "$work/siren2.wav")")"

{
  echo '['
  last=$((${#json_events[@]} - 1))
  for i in "${!json_events[@]}"; do
    if [ "$i" -lt "$last" ]; then echo "${json_events[$i]},"; else echo "${json_events[$i]}"; fi
  done
  echo ']'
} >samples.json

for f in speech.wav speech.mp3 siren.wav tones.wav mixture.wav; do
  printf '%-12s %6.2f s  %7d bytes\n' "$f" "$(seconds "$f")" "$(wc -c <"$f")"
done
