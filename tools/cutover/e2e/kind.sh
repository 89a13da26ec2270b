#!/usr/bin/env bash
# End to end on a real kind cluster: what .github/workflows/e2e-kind.yml runs, and `npm run e2e:kind`
# for anyone with Docker (or podman) and kind. Phases, in order (default: all of them):
#   up        kind cluster + images + base overlay, through tools/cluster (npm run cluster -- up),
#             which also applies each later overlay
#   overlays  monitoring -> mesh -> canary-5 -> canary-50 -> canary-100, each checked: pods ready,
#             the load generator's pinger version share within E2E_SHARE_TOLERANCE of the overlay's
#             weight, Prometheus has data for every dashboard
#   cutover   back to 0% v2, then a full cutover plan under load: no failed request allowed
#   rollback  a deliberately faulty v2 (FAULT_ERROR_PERCENT): the plan must roll back, ending at 0% v2
#   down      delete the cluster (E2E_KEEP_CLUSTER=1 skips it)
set -euo pipefail

cd "$(dirname "$0")/../../.."
CLUSTER="${E2E_CLUSTER_NAME:-learnathon}"
CONTEXT="kind-${CLUSTER}"
ENGINE="${CONTAINER_ENGINE:-docker}"
TOLERANCE="${E2E_SHARE_TOLERANCE:-0.08}"
INTERVAL="${E2E_STEP_INTERVAL:-1m}"
PROMETHEUS=http://127.0.0.1:9090
FRONTEND=http://127.0.0.1:8080
K="kubectl --context ${CONTEXT}"
CUTOVER=(node tools/cutover/bin/cutover.cjs --context "${CONTEXT}" --service pinger --from pinger-v1 --to pinger-v2)

say() { printf '\n==> %s\n' "$*"; }
die() {
  printf 'e2e-kind: FAILED: %s\n' "$*" >&2
  exit 1
}

wait_ready() {
  for namespace in learnathon monitoring; do
    ${K} -n "${namespace}" rollout status deployment --timeout=300s
  done
  ${K} -n learnathon wait pod --all --for=condition=Ready --timeout=300s
}

port_forward_prometheus() {
  if curl -fsS "${PROMETHEUS}/-/ready" >/dev/null 2>&1; then return; fi
  ${K} -n monitoring port-forward svc/prometheus 9090:9090 >/tmp/e2e-prometheus-port-forward.log 2>&1 &
  for _ in $(seq 60); do
    curl -fsS "${PROMETHEUS}/-/ready" >/dev/null 2>&1 && return
    sleep 1
  done
  die "Prometheus port-forward did not come up: $(cat /tmp/e2e-prometheus-port-forward.log)"
}

# One instant query; prints the number of series it returned.
series_count() {
  curl -fsS --get "${PROMETHEUS}/api/v1/query" --data-urlencode "query=$1" | node -e '
    let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
      const answer = JSON.parse(text);
      if (answer.status !== "success") { console.error(answer.error); process.exit(1); }
      console.log(answer.data.result.length);
    });'
}

# The pinger share of v2 seen by users: loadgen on /ping/stats, whose x-service-version is pinger's.
check_share() {
  local expected="$1"
  node dist/tools/loadgen/main.js --url "${FRONTEND}" --duration 20 --rate 50 --connections 4 \
    --mix /ping/stats:1 --max-error-rate 0 --json >/tmp/e2e-loadgen.json ||
    die "load generator failed at ${expected}% v2: $(cat /tmp/e2e-loadgen.json)"
  node -e '
    const summary = require("/tmp/e2e-loadgen.json");
    const share = summary.versions.v2?.share ?? 0;
    const [expected, tolerance] = [Number(process.argv[1]) / 100, Number(process.argv[2])];
    console.log(`v2 share ${(share * 100).toFixed(1)}% (expected ${expected * 100}% +- ${tolerance * 100} points)`);
    if (Math.abs(share - expected) > tolerance) process.exit(1);' "${expected}" "${TOLERANCE}" ||
    die "pinger v2 share is off the overlay's weight ${expected}%"
}

# Every dashboard has data: one query per dashboard over the series it is built from.
check_dashboards() {
  local overlay="$1"
  local queries=(
    'sum by (service) (rate(http_request_duration_seconds_count[2m]))'   # RED
    'sum(rate(container_cpu_usage_seconds_total{namespace="learnathon"}[2m]))' # cluster resources
    'kube_pod_info{namespace="learnathon"}'                              # workloads
    'node_cpu_seconds_total'                                             # nodes
  )
  if [[ "${overlay}" != monitoring ]]; then
    queries+=('sum by (envoy_cluster_name) (rate(envoy_cluster_upstream_rq_total[2m]))') # Mesh traffic
    queries+=('envoy_sidecar_restart_epoch')                                           # sidecars
  fi
  if [[ "${overlay}" == canary-* ]]; then
    queries+=('sum by (version) (rate(http_request_duration_seconds_count{service="pinger",route!~"/healthz|/readyz|/metrics"}[2m]))') # Canary
  fi
  for query in "${queries[@]}"; do
    local found=0
    for _ in $(seq 30); do
      found="$(series_count "${query}")"
      [[ "${found}" -gt 0 ]] && break
      sleep 5
    done
    [[ "${found}" -gt 0 ]] || die "no data in Prometheus for: ${query}"
    echo "data: ${found} series for ${query}"
  done
}

# Ctrl-C stops the load generator with its summary: exit 130 when no request failed, 3 when some did.
stop_load() {
  local code=0
  kill -INT "$1"
  wait "$1" || code=$?
  [[ "${code}" -eq 0 || "${code}" -eq 130 ]]
}

phase_up() {
  say "cluster, images and the base overlay (tools/cluster)"
  npx nx run-many -t build -p loadgen --output-style=static
  npm run cluster -- up --overlay base --name "${CLUSTER}" --engine "${ENGINE}"
}

phase_overlays() {
  for overlay in monitoring mesh canary-5 canary-50 canary-100; do
    # tools/cluster applies it with the images of this commit, creates Grafana's password, waits.
    say "apply k8s/overlays/${overlay} (tools/cluster)"
    npm run cluster -- up --overlay "${overlay}" --name "${CLUSTER}" --engine "${ENGINE}"
    wait_ready
    port_forward_prometheus
    case "${overlay}" in
      canary-*) check_share "${overlay#canary-}" ;;
      *) check_share 0 ;;
    esac
    check_dashboards "${overlay}"
  done
}

phase_cutover() {
  say "back to 0% v2, then the full plan under load with zero failed requests"
  port_forward_prometheus
  "${CUTOVER[@]}" --rollback
  node dist/tools/loadgen/main.js --url "${FRONTEND}" --duration 900 --rate 30 --connections 4 \
    --mix /ping/stats:1 --max-error-rate 0 --json >/tmp/e2e-cutover-load.json &
  local load=$!
  "${CUTOVER[@]}" --steps 5,25,50,100 --interval "${INTERVAL}" --prometheus "${PROMETHEUS}" ||
    die "the cutover plan did not promote pinger-v2"
  stop_load "${load}" || die "requests failed during the cutover: $(cat /tmp/e2e-cutover-load.json)"
  node tools/cutover/bin/cutover.cjs --context "${CONTEXT}" status
}

phase_rollback() {
  say "rollback drill: a faulty v2 must be rolled back to 0%"
  port_forward_prometheus
  "${CUTOVER[@]}" --rollback
  ${K} -n learnathon set env deployment/pinger-v2 FAULT_ERROR_PERCENT=30
  ${K} -n learnathon rollout status deployment/pinger-v2 --timeout=300s
  node dist/tools/loadgen/main.js --url "${FRONTEND}" --duration 900 --rate 30 --connections 4 \
    --mix /ping/stats:1 --json >/tmp/e2e-drill-load.json &
  local load=$!
  local code=0
  "${CUTOVER[@]}" --steps 25,50,100 --interval "${INTERVAL}" --prometheus "${PROMETHEUS}" || code=$?
  stop_load "${load}" || true
  [[ "${code}" -eq 1 ]] || die "expected the drill to roll back (exit 1), got exit ${code}"
  node tools/cutover/bin/cutover.cjs --context "${CONTEXT}" status --json | node -e '
    let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
      const status = JSON.parse(text.trim().split("\n").pop());
      console.log(`after the drill: pinger-v2 ${status.split["pinger-v2"] ?? 0}%`);
      if ((status.split["pinger-v2"] ?? 0) !== 0) process.exit(1);
    });' || die "the drill did not end at 0% v2"
  ${K} -n learnathon set env deployment/pinger-v2 FAULT_ERROR_PERCENT-
}

phase_down() {
  [[ "${E2E_KEEP_CLUSTER:-0}" == 1 ]] && return
  npm run cluster -- down --name "${CLUSTER}" --engine "${ENGINE}"
}

phases=("$@")
[[ ${#phases[@]} -eq 0 ]] && phases=(up overlays cutover rollback down)
for phase in "${phases[@]}"; do
  case "${phase}" in
    up | overlays | cutover | rollback | down) "phase_${phase}" ;;
    *) die "unknown phase '${phase}' (up, overlays, cutover, rollback, down)" ;;
  esac
done
say "e2e on kind: all phases passed (${phases[*]})"
