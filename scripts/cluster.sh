#!/usr/bin/env bash
# A local cluster to try and measure several nodes (README "Several nodes", docs/performance.md): a private PostgreSQL
# (initdb into a temp folder, run as the postgres user when root), a redis-server, and N SealService nodes sharing one
# data folder, all on loopback. Ctrl-C (or the end of the shell) stops everything; the folder is left for the logs.
#   scripts/cluster.sh [NODES=2] [FIRST_PORT=5180]   → nodes on FIRST_PORT, FIRST_PORT+1, …
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-2}
port=${2:-5180}
pgport=$((port + 90))
redisport=$((port + 91))
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/sealservice-cluster.XXXXXX)
chmod 755 "$dir"
mkdir -p "$dir/pg" "$dir/data"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$dir/pg"
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -m fast stop >/dev/null 2>&1 || true # runuser does not pass the signal on
  wait 2>/dev/null || true
  echo "stopped; logs in $dir"
}
trap cleanup EXIT INT TERM

as_pg "$pgbin/initdb" -D "$dir/pg/data" -U sealservice --auth=trust -E UTF8 --locale=C >/dev/null
as_pg "$pgbin/postgres" -D "$dir/pg/data" -p "$pgport" -k "$dir/pg" -c listen_addresses=127.0.0.1 -c max_connections=300 >"$dir/postgres.log" 2>&1 &
pids+=($!)
redis-server --port "$redisport" --bind 127.0.0.1 --save '' --appendonly no >"$dir/redis.log" 2>&1 &
pids+=($!)
until "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport"; do sleep 0.2; done
"$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U sealservice sealservice

dotnet build src/SealService.Api -c Release -v q -nologo >/dev/null
for i in $(seq 1 "$nodes"); do
  ASPNETCORE_ENVIRONMENT=Development SEALSERVICE_DATA="$dir/data" \
  Storage__Provider=postgres Storage__NodeId="node$i" \
  Storage__ConnectionString="Host=127.0.0.1;Port=$pgport;Username=sealservice;Database=sealservice" \
  Redis__Configuration="127.0.0.1:$redisport" SealService__GrpcUrl="http://127.0.0.1:$((port + 50 + i))" \
    dotnet src/SealService.Api/bin/Release/net10.0/SealService.Api.dll --urls "http://127.0.0.1:$((port + i - 1))" >"$dir/node$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$nodes"); do
  until curl -sf "http://127.0.0.1:$((port + i - 1))/healthz" >/dev/null; do sleep 0.3; done
  echo "node$i on http://127.0.0.1:$((port + i - 1))"
done
echo "PostgreSQL on 127.0.0.1:$pgport (user sealservice, database sealservice), Redis on 127.0.0.1:$redisport; logs in $dir"
wait
