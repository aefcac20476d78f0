#!/usr/bin/env bash
# The browser test of `cmasim report` (docs/report.md): makes the outputs of run, compare and
# sweep on the tiny county, renders each report in Chinese and English, opens every page in
# headless Chromium and fails on
#   - any console message (Chromium logs each as "INFO:CONSOLE"; the pages have no script, so any
#     message is an error: a blocked resource, a parse problem);
#   - any character of the page that no installed font has (it would show as an empty box), and
#     any Chinese character the page's first font family (Noto Sans CJK SC) lacks;
#   - a page without every section of its kind, or without a screenshot.
# Before the pages it checks itself on a page with a console error and a made-up character, so
# the test can fail. Screenshots: <build>/report-screenshots/{run,compare,sweep}-{zh,en}.png.
#   bash tools/browser_report_test.sh [path/to/cmasim] [build dir]
# Exit 0 passed; 1 failed; 77 cannot run here (no chromium or fc-list): ctest reports a skip,
# unless CMASIM_REQUIRE_BROWSER=1 (tools/dev.sh test sets it), which makes that a failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cmasim="$(realpath "${1:-$root/build/release/src/cmasim}")"
build="$(realpath "${2:-$root/build/release}")"
shots="$build/report-screenshots"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() { echo "browser_report_test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

missing=""
for tool in chromium fc-list fc-match python3; do
  command -v "$tool" >/dev/null || missing="$missing $tool"
done
if [ -z "$missing" ] && ! fc-list "Noto Sans CJK SC" | grep -q .; then missing=" fonts-noto-cjk"; fi
if [ -n "$missing" ]; then
  why="not found:$missing (Debian: apt-get install chromium fonts-noto-cjk fontconfig)"
  if [ "${CMASIM_REQUIRE_BROWSER:-0}" = 1 ]; then fail "$why"; fi
  say "skipped: $why"
  exit 77
fi

# Headless Chromium with nothing that reaches the network, in a fresh profile each time.
chrome() {
  local profile
  profile="$(mktemp -d "$work/profile.XXXX")"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
}

# check_page FILE.html SCREENSHOT.png SECTION...: 0 when the page is clean. One browser start
# per page: the screenshot's run also logs the console.
check_page() {
  local page="$1" shot="$2"
  shift 2
  for id in "$@"; do
    grep -q "id=\"$id\"" "$page" || { say "$page: no section '$id'"; return 1; }
  done
  python3 "$root/tools/glyph_check.py" "$page" || return 1
  chrome --screenshot="$shot" --window-size=1200,3000 "file://$page" 2>"$work/console.log" ||
    return 1
  if grep -a ':CONSOLE' "$work/console.log"; then return 1; fi
  [ -s "$shot" ] || { say "$page: no screenshot"; return 1; }
}

# The checker must be able to fail.
printf '<!DOCTYPE html><html><body><p>x</p><script>console.error("x")</script></body></html>' \
  >"$work/bad-console.html"
if check_page "$work/bad-console.html" "$work/bad.png" >/dev/null 2>&1; then
  fail "a console error went unnoticed"
fi
printf '<!DOCTYPE html><html><body><p>\xf3\xa0\x80\x80 \xee\x80\x80</p></body></html>' >"$work/bad-glyph.html"
if python3 "$root/tools/glyph_check.py" "$work/bad-glyph.html" >/dev/null 2>&1; then
  fail "a character without a font went unnoticed"
fi

cd "$root"
quick=(-t 2 -r 2 --set horizon_days=75)
"$cmasim" run scenarios/tiny.yaml -q "${quick[@]}" --out "$work/run" >/dev/null
"$cmasim" compare scenarios/tiny.yaml tests/data/report/tiny_gatekeeping.yaml -t 2 -r 2 \
  --out "$work/compare" >/dev/null
"$cmasim" sweep tests/data/report/tiny_sweep.yaml -q -t 2 --out "$work/sweep" >/dev/null

mkdir -p "$shots"
declare -A sections=(
  [run]="headline monthly flows townships methods"
  [compare]="headline differences monthly flows methods"
  [sweep]="plots points methods")
for kind in run compare sweep; do
  for lang in zh en; do
    page="$work/$kind-$lang.html"
    "$cmasim" report "$work/$kind" --lang "$lang" --out "$page" >/dev/null
    # shellcheck disable=SC2086
    check_page "$page" "$shots/$kind-$lang.png" ${sections[$kind]} || fail "$kind report ($lang)"
    say "ok: $kind report ($lang), screenshot $shots/$kind-$lang.png"
  done
done
