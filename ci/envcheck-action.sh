#!/usr/bin/env bash
# The GitHub Action's check step (action.yml), also run as-is by the tests.
#
# Validates the project (`envcheck check`), then probes its API keys
# (`envcheck probe`), both as workflow annotations, and exits with the
# contract's code: 2 if either could not run, else 1 if anything failed,
# else 3 if a probe was only inconclusive, else 0.  Inputs arrive as
# INPUT_* environment variables, never spliced into the script, so a
# value cannot become shell code.
set -u

common=(--dir "${INPUT_DIR:-.}")
if [ -n "${INPUT_MODE:-}" ]; then common+=(--mode "$INPUT_MODE"); fi
if [ -n "${INPUT_FRAMEWORK:-}" ]; then common+=(--framework "$INPUT_FRAMEWORK"); fi
if [ -n "${INPUT_EXPIRY_WARN:-}" ]; then common+=(--expiry-warn "$INPUT_EXPIRY_WARN"); fi
probe_args=()
if [ -n "${INPUT_PROVIDERS:-}" ]; then probe_args+=(--provider "$INPUT_PROVIDERS"); fi
if [ -n "${INPUT_MIN_CREDIT:-}" ]; then probe_args+=(--min-credit "$INPUT_MIN_CREDIT"); fi

envcheck check "${common[@]}" --format github
check=$?
envcheck probe "${common[@]}" "${probe_args[@]}" --format github
probe=$?

code=0
for c in "$check" "$probe"; do
  if [ "$c" -eq 2 ] || { [ "$c" -ne 0 ] && [ "$c" -ne 1 ] && [ "$c" -ne 3 ]; }; then
    code=2
  elif [ "$c" -eq 1 ] && [ "$code" -ne 2 ]; then
    code=1
  elif [ "$c" -eq 3 ] && [ "$code" -eq 0 ]; then
    code=3
  fi
done
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "exit-code=$code" >>"$GITHUB_OUTPUT"; fi
echo "envcheck: check exited $check, probe exited $probe -> $code" >&2
exit "$code"
