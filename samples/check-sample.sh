#!/usr/bin/env bash
# Runs one of the real-data samples and checks what it printed and the PNG it wrote (test.sh's sample checks).
# Passes when the sample exits 0 (its compiled model matches the training framework's outputs), printed
# "0 bytes allocated" and wrote a valid PNG.
# Usage: samples/check-sample.sh PROJECT PNG-NAME [--aot] [sample arguments...]
#   without --aot: runs bin/Release/net10.0/PROJECT.dll, which `dotnet build LstmGen.sln -c Release` built;
#   with --aot:    publishes PROJECT with NativeAOT (-warnaserror: any trim/AOT warning fails) and runs the binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$1" png_name="$2"; shift 2
aot=0; if [ "${1:-}" = "--aot" ]; then aot=1; shift; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

if [ "$aot" = 1 ]; then
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64|arm64) rid=linux-arm64 ;;
    *) echo "check-sample.sh: no NativeAOT runtime identifier for $(uname -m)"; exit 1 ;;
  esac
  dotnet publish "$root/samples/$project" -c Release -r "$rid" -p:PublishAot=true -o "$work/publish" -nologo -v quiet -warnaserror
  echo "published with NativeAOT in $(( $(date +%s) - started )) s: $(stat -c %s "$work/publish/$project") bytes"
  run=("$work/publish/$project")
else
  dll="$root/samples/$project/bin/Release/net10.0/$project.dll"
  [ -f "$dll" ] || { echo "$dll is missing: build LstmGen.sln -c Release first"; exit 1; }
  run=(dotnet "$dll")
fi

png="$work/$png_name"
output="$("${run[@]}" --plot "$png" "$@")" || { echo "$output"; echo "$project failed (exit code 1: a mismatch with the training framework)"; exit 1; }
echo "$output"
grep -q " 0 bytes allocated" <<< "$output" || { echo "$project: no '0 bytes allocated' in the output"; exit 1; }
[ -s "$png" ] || { echo "$project wrote no plot at $png"; exit 1; }
magic="$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')"
[ "$magic" = "89504e470d0a1a0a" ] || { echo "$png is not a PNG (first bytes $magic)"; exit 1; }
echo "$project: OK ($(stat -c %s "$png")-byte PNG, $(( $(date +%s) - started )) s)"
