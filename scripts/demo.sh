#!/usr/bin/env bash
# make demo: the provider against a simulated Confluence Cloud site.
#
# 1. start the simulator on loopback with the demo site;
# 2. terraform apply examples/demo with the freshly built provider, through a
#    CLI configuration written here (your own Terraform setup is not touched);
# 3. change permissions by hand, the way the Confluence UI does it;
# 4. terraform plan shows the drift, and saves the plan;
# 5. confluence-drift reports it by space and principal, as a scheduled
#    drift check would (examples/gitops);
# 6. stop the simulator.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-terraform}
provider_bin=${PROVIDER_BIN:-$root/bin/terraform-provider-confluence}
work=$root/.demo

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

rm -rf "$work" && mkdir -p "$work/config"
cp "$root"/examples/demo/*.tf "$work/config/"

say "Starting a simulated Confluence Cloud site (internal/confluencesim, demo seed)"
go build -o "$work/confluencesim" "$root/cmd/confluencesim"
go build -o "$work/confluence-drift" "$root/cmd/confluence-drift"
"$work/confluencesim" serve --seed "$root/internal/confluencesim/seeds/demo.json" \
  --addr 127.0.0.1:0 --url-file "$work/url" >"$work/simulator.log" 2>&1 &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true; wait $sim_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { cat "$work/simulator.log"; echo "the simulator did not start" >&2; exit 1; }
url=$(cat "$work/url")
echo "Site: $url   (spaces DOCS, ENG, HR, OPS; people alice, bob, carol)"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/spacekeeper/confluence" = "$(dirname "$provider_bin")"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$work/terraformrc
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export CONFLUENCE_URL=$url CONFLUENCE_DEPLOYMENT=cloud
export CONFLUENCE_USER=terraform@example.com CONFLUENCE_API_TOKEN=demo-token
cd "$work/config"

say "terraform apply: DOCS under full control, read+comment for everyone in ENG and OPS, one extra grant in HR"
echo "(Terraform warns that provider development overrides are in effect: that is the provider you just built.)"
"$terraform" apply -auto-approve -compact-warnings

say "Someone changes permissions by hand in the Confluence UI: bob gets View and Admin in DOCS"
for op in read administer; do
  curl -fsS -u "$CONFLUENCE_USER:$CONFLUENCE_API_TOKEN" -H 'Content-Type: application/json' \
    -X POST "$url/wiki/rest/api/space/DOCS/permission" \
    -d "{\"subject\":{\"type\":\"user\",\"identifier\":\"5b10a2844c20165700ede21f\"},\"operation\":{\"key\":\"$op\",\"target\":\"space\"}}" >/dev/null
  echo "  POST /wiki/rest/api/space/DOCS/permission  $op/space for bob"
done

say "terraform plan: the drift shows up, and apply would remove it"
set +e
"$terraform" plan -detailed-exitcode -compact-warnings -out="$work/plan.out"
code=$?
set -e
case $code in
  2) ;;
  0) echo "No drift detected: the demo expected some" >&2; exit 1 ;;
  *) exit "$code" ;;
esac

say "confluence-drift: the same plan as a report, by space and principal"
"$terraform" show -json "$work/plan.out" >"$work/plan.json"
set +e
"$work/confluence-drift" "$work/plan.json"
code=$?
set -e
case $code in
  2) say "Drift detected, as expected (confluence-drift exit status 2). The simulator stops now; run 'make demo' again any time." ;;
  *) echo "confluence-drift exited $code; the demo expected 2 (drift)" >&2; exit 1 ;;
esac
