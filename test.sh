#!/usr/bin/env bash
# The whole test suite, on this machine or a fresh Debian one: installs what is missing (as root), restores,
# builds with warnings as errors, runs every test project and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

have_postgres() { command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
apt_updated=""
install_packages() {
  if [ "$(id -u)" != 0 ]; then
    echo "missing: $* — install them (sudo apt-get install $*) and run again" >&2
    exit 1
  fi
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ -z "${EDGE_TEST_POSTGRES:-}" ] && ! have_postgres; then install_packages postgresql; fi
# Mosquitto (broker and the mosquitto_pub/_sub clients) is the external broker the MQTT tests run against.
if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ] || ! command -v mosquitto_pub >/dev/null 2>&1; then
  install_packages mosquitto mosquitto-clients
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "the .NET SDK is missing: install .NET 10 (see global.json) and run again" >&2
  exit 1
fi

dotnet restore Edge.Actors.sln --verbosity quiet
dotnet build Edge.Actors.sln --configuration Release --no-restore --warnaserror --verbosity quiet -clp:NoSummary

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
set +e
dotnet test Edge.Actors.sln --configuration Release --no-build --logger trx --results-directory "$results"
status=$?
set -e

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + $(count total) - $(count executed)))
done
# A test host that crashed leaves no counters: never report such a run as green.
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi

if [ "$skipped" != 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ] && [ "$skipped" = 0 ]
