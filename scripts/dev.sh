#!/usr/bin/env bash
# Start netpuls (anonymous, loopback, SQLite, demo network) and Microsoft 365 Agents Playground.
set -euo pipefail
cd "$(dirname "$0")/.."
BOT_PORT="${BOT_PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
mkdir -p var
export MicrosoftAppId="" HOST=127.0.0.1 PORT="$BOT_PORT"
# One person tries every role: `demo facilitator|secretariat|participant|applicant` (never
# with an app id: the settings refuse it).
export NETPULS_DEMO_PERSONAS=true
# The demo's agenda is due on the day of the import; on a weekend it moves to the Friday before.
# Four days of grace let a weekend import still post it instead of skipping it as missed.
export CADENCE_GRACE_HOURS="${CADENCE_GRACE_HOURS:-96}"
export DATABASE_URL="${DATABASE_URL:-sqlite+aiosqlite:///./var/netpuls.db}"

.venv/bin/netpuls db upgrade
.venv/bin/netpuls network import examples/demo.yaml

# The Playground's telemetry probes a cloud-metadata address unless told not to; it must never
# open a browser itself; and its log goes to var/.
export APPLICATION_INSIGHTS_NO_STATSBEAT=true
export TEAMSAPPTESTER_BROWSER=none
export M365_AGENTS_PLAYGROUND_LOGFILE="$PWD/var/playground.log"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/netpuls serve &
pids+=($!)
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$BOT_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

# The Playground binds every interface by default; the preload pins it to 127.0.0.1.
node --require ./scripts/loopback_only.cjs node_modules/@microsoft/m365agentsplayground/cli.js start \
  -e "http://127.0.0.1:$BOT_PORT/api/messages" -c msteams -p "$PLAYGROUND_PORT" --dt \
  > var/playground.out 2>&1 &
pids+=($!)
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.*Listening on \([0-9]*\).*/\1/p' var/playground.out | head -n1)
  [ -n "$port" ] && break
  sleep 0.2
done
if [ -z "$port" ]; then
  echo "The Playground did not start; see var/playground.out and var/playground.log" >&2
  exit 1
fi
echo
echo "  netpuls is answering on http://127.0.0.1:$BOT_PORT/api/messages"
echo "  Open the Playground:   http://127.0.0.1:$port"
echo "  Try 'help' and 'next' in Personal Chat, or '@' the bot in My Team > General."
echo "  Switch roles with 'demo facilitator', 'demo secretariat', 'demo participant', 'demo applicant'."
echo "  Ctrl-C stops both."
echo
wait -n "${pids[@]}"
