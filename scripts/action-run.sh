#!/usr/bin/env bash
# The GitHub Action's logic as a plain script, so it runs (and is tested) without GitHub.
#
# Inputs come from the environment (never interpolated into code): SORA_LINT_PATHS,
# SORA_LINT_TARGET, SORA_LINT_MODEL, SORA_LINT_FAIL_ON, SORA_LINT_FORMATS, SORA_LINT_SARIF_FILE,
# SORA_LINT_REPORT, SORA_LINT_BASELINE, SORA_LINT_VERSION, SORA_LINT_ARGS, SORA_LINT_ACTION_PATH.
# SORA_LINT_PYTHON names an interpreter that already has sora-lint (skips the install).
# Writes exit-code, sarif-file and report to $GITHUB_OUTPUT and exits 0 once sora-lint ran,
# so the SARIF upload can run before the action's last step fails the job with exit-code.
set -euo pipefail

log() { printf 'sora-lint action: %s\n' "$*" >&2; }
output() { if [[ -n "${GITHUB_OUTPUT:-}" ]]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }

fail_on="${SORA_LINT_FAIL_ON:-error}"
case "$fail_on" in
  error | warning) ;;
  *) log "fail-on must be error or warning, not '$fail_on'"; output exit-code 2; exit 2 ;;
esac

# --- install --------------------------------------------------------------------------------
python="${SORA_LINT_PYTHON:-}"
if [[ -z "$python" ]]; then
  venv="${SORA_LINT_VENV:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sora-lint-venv}"
  python3 -m venv "$venv"
  python="$venv/bin/python"
  "$python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  if [[ -n "${SORA_LINT_VERSION:-}" ]]; then
    "$python" -m pip install --quiet --disable-pip-version-check "sora-lint==${SORA_LINT_VERSION}"
  else
    "$python" -m pip install --quiet --disable-pip-version-check "${SORA_LINT_ACTION_PATH:?}"
  fi
fi

# --- arguments ------------------------------------------------------------------------------
args=(--output-format github --fail-on "$fail_on")
[[ -n "${SORA_LINT_TARGET:-}" ]] && args+=(--target "$SORA_LINT_TARGET")
[[ -n "${SORA_LINT_MODEL:-}" ]] && args+=(--model "$SORA_LINT_MODEL")
[[ -n "${SORA_LINT_REPORT:-}" ]] && args+=(--report "$SORA_LINT_REPORT")
[[ -n "${SORA_LINT_BASELINE:-}" ]] && args+=(--baseline "$SORA_LINT_BASELINE")

sarif_file=""
formats="${SORA_LINT_FORMATS-sarif}"
for format in ${formats//,/ }; do
  case "$format" in
    *:*) args+=(--output "$format") ;;
    sarif)
      sarif_file="${SORA_LINT_SARIF_FILE:-sora-lint.sarif}"
      args+=(--output "sarif:$sarif_file") ;;
    junit) args+=(--output "junit:sora-lint-junit.xml") ;;
    gitlab) args+=(--output "gitlab:gl-code-quality-report.json") ;;
    json) args+=(--output "json:sora-lint.json") ;;
    json-lines) args+=(--output "json-lines:sora-lint.jsonl") ;;
    *) args+=(--output "$format:sora-lint-$format.out") ;;
  esac
done

if [[ -n "${SORA_LINT_ARGS:-}" ]]; then
  read -r -a extra <<<"$SORA_LINT_ARGS"
  args+=("${extra[@]}")
fi

# Paths: one per line (names with spaces), or separated by spaces on a single line.
paths=()
raw_paths="${SORA_LINT_PATHS:-.}"
if [[ "$raw_paths" == *$'\n'* ]]; then
  while IFS= read -r line; do
    [[ -n "${line//[[:space:]]/}" ]] && paths+=("$line")
  done <<<"$raw_paths"
else
  read -r -a paths <<<"$raw_paths"
fi
[[ ${#paths[@]} -eq 0 ]] && paths=(.)

# --- run ------------------------------------------------------------------------------------
set +e
"$python" -m sora_lint "${args[@]}" -- "${paths[@]}"
code=$?
set -e

output exit-code "$code"
if [[ -n "$sarif_file" && -f "$sarif_file" ]]; then output sarif-file "$sarif_file"; fi
if [[ -n "${SORA_LINT_REPORT:-}" && -f "$SORA_LINT_REPORT" ]]; then output report "$SORA_LINT_REPORT"; fi
if [[ $code -ge 2 ]]; then
  log "sora-lint stopped with exit code $code (usage, config or plugin error)"
fi
exit 0
