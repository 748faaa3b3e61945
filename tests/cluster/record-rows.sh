#!/usr/bin/env bash
# Records row fixtures for crates/capstan-kube/tests/rows_fixtures.rs: creates
# objects in namespace rows-fixtures, waits for their state, and saves each
# object's `kubectl get -o json` with the `kubectl get -o wide` header and
# line printed right then (recordedBefore/After bound the instant, for ages).
# Usage: tests/cluster/record-rows.sh   (needs the test cluster running)
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(bash tests/cluster/cluster.sh env)"
export KUBECONFIG=$CAPSTAN_TEST_KUBECONFIG
k() { "$CAPSTAN_TEST_KUBECTL" "$@"; }
NS=rows-fixtures
OUT=crates/capstan-kube/tests/fixtures/rows
now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

# record <dir> <file> <resource> <name> [namespaced=yes]
record() {
  local dir=$1 file=$2 resource=$3 name=$4 nsargs=(-n "$NS")
  [ "${5:-yes}" = no ] && nsargs=()
  mkdir -p "$OUT/$dir"
  local before json wide after
  before=$(now)
  json=$(k get "$resource" "$name" "${nsargs[@]}" -o json)
  wide=$(k get "$resource" "$name" "${nsargs[@]}" -o wide)
  after=$(now)
  python3 - "$OUT/$dir/$file.json" "$before" "$after" "$(k version -o json)" "$wide" "$json" <<'PY'
import json, sys
path, before, after, version, wide, obj = sys.argv[1:]
v = json.loads(version)
lines = wide.splitlines()
json.dump({
    "recordedBefore": before, "recordedAfter": after,
    "kubectl": {"client": v["clientVersion"]["gitVersion"], "server": v["serverVersion"]["gitVersion"]},
    "header": lines[0], "line": lines[1], "object": json.loads(obj),
}, open(path, "w"), indent=2)
open(path, "a").write("\n")
PY
}

k create namespace "$NS" --dry-run=client -o yaml | k apply -f - >/dev/null
k apply -n "$NS" -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: two-keys}
data: {a: "1"}
binaryData: {b: AA==}
---
apiVersion: v1
kind: Secret
metadata: {name: opaque}
type: Opaque
stringData: {user: u, pass: p}
---
apiVersion: v1
kind: Service
metadata: {name: cluster-ip}
spec: {selector: {app: web, tier: front}, ports: [{name: http, port: 80}, {name: dns, port: 53, protocol: UDP}]}
---
apiVersion: v1
kind: Service
metadata: {name: node-port}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 443, nodePort: 30443}]}
---
apiVersion: v1
kind: Service
metadata: {name: headless}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: external-name}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: main, image: capstan.local/busybox:1, imagePullPolicy: Never, command: [sleep, "100000"]}
      - {name: side, image: capstan.local/busybox:1, imagePullPolicy: Never, command: [sleep, "100000"]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers:
      - {name: main, image: capstan.local/busybox:1, imagePullPolicy: Never, command: [sleep, "100000"]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 1
  serviceName: headless
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - {name: main, image: capstan.local/busybox:1, imagePullPolicy: Never, command: [sleep, "100000"]}
YAML
k apply -n "$NS" -f - >/dev/null <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: complete}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: capstan.local/busybox:1, imagePullPolicy: Never, command: [sh, -c, "sleep 2"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: failed}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: capstan.local/busybox:1, imagePullPolicy: Never, command: [sh, -c, "exit 1"]}]
YAML
# CronJob: batch/v1beta1 is what 1.20 serves.
k apply -n "$NS" -f - >/dev/null <<'YAML'
apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: main, image: capstan.local/busybox:1, imagePullPolicy: Never, command: [sh, -c, "true"]}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  tls: [{hosts: [a.example.com]}]
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: cluster-ip, port: {number: 80}}}}]}
  - host: b.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: cluster-ip, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: catch-all}
spec:
  defaultBackend: {service: {name: cluster-ip, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-only}
spec:
  podSelector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [front, back]}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: many}
subsets:
- addresses: [{ip: 10.1.0.1}, {ip: 10.1.0.2}, {ip: 10.1.0.3}]
  ports: [{name: http, port: 80}, {name: https, port: 443}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: empty}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: rows-fixtures-manual}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: rows-fixtures-pv}
spec:
  storageClassName: rows-fixtures-plain
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce, ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /tmp/rows-fixtures-pv}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: bound}
spec:
  storageClassName: rows-fixtures-plain
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 512Mi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pending}
spec:
  storageClassName: rows-fixtures-none
  volumeMode: Block
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
YAML
k wait -n "$NS" --for=condition=complete job/complete --timeout=120s >/dev/null
k wait -n "$NS" --for=condition=failed job/failed --timeout=120s >/dev/null
k rollout status -n "$NS" deployment/web --timeout=120s >/dev/null
k rollout status -n "$NS" statefulset/db --timeout=120s >/dev/null
k rollout status -n "$NS" daemonset/agent --timeout=120s >/dev/null

record configmaps two-keys configmap two-keys
record secrets opaque secret opaque
for s in cluster-ip node-port headless external-name; do record services "$s" service "$s"; done
record jobs complete job complete
record jobs failed job failed
record deployments web deployment web
record statefulsets db statefulset db
record daemonsets agent daemonset agent
rs=$(k get rs -n "$NS" -l app=web -o jsonpath='{.items[0].metadata.name}')
record replicasets web replicaset "$rs"
node=$(k get nodes -o jsonpath='{.items[0].metadata.name}')
record nodes "$node" node "$node" no
record cronjobs nightly cronjob nightly
record endpoints many endpoints many
record endpoints empty endpoints empty
record ingresses web ingress web
record ingresses catch-all ingress catch-all
record networkpolicies deny-all networkpolicy deny-all
record networkpolicies web-only networkpolicy web-only
record storageclasses manual storageclass rows-fixtures-manual no
for _ in $(seq 60); do
  [ "$(k get pvc bound -n "$NS" -o jsonpath='{.status.phase}')" = Bound ] && break; sleep 1
done
record persistentvolumeclaims bound pvc bound
record persistentvolumeclaims pending pvc pending
record persistentvolumes bound pv rows-fixtures-pv no
# An event about the failed job's pod (kubelet: SUBOBJECT and SOURCE set)
# and one about the job (controller: no field path, no host).
ev=$(k get events -n "$NS" --field-selector involvedObject.kind=Job,involvedObject.name=failed -o jsonpath='{.items[0].metadata.name}')
record events job "events" "$ev"
ev=$(k get events -n "$NS" --field-selector involvedObject.kind=Pod,reason=Started -o jsonpath='{.items[0].metadata.name}')
record events pod-started "events" "$ev"
k delete pv rows-fixtures-pv --wait=false >/dev/null
k delete storageclass rows-fixtures-manual --wait=false >/dev/null
k delete namespace "$NS" --wait=false >/dev/null
echo "recorded into $OUT"
