#!/usr/bin/env bash
# Builds Packline and runs a demo site on this machine, every part real and
# on loopback: an MQTT broker (mosquitto), the hub with its supervisor
# dashboard, and three packing stations (simulated devices, a scripted packer
# who makes mistakes) each with its packer screen. Prints the addresses to
# open, and the supervisor's sign-in, while the shifts run.
#
#   ./scripts/demo.sh [--stations N] [--orders N] [--pace MS] [--no-wait]
#   ./scripts/demo.sh --quick       # one station, no network: `packline demo`
#
# --no-wait ends the demo when the shifts are done; otherwise the hub and its
# dashboard stay up until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
stations=3 orders=30 pace=350 wait=1 quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --stations) stations=$2; shift 2 ;;
    --orders) orders=$2; shift 2 ;;
    --pace) pace=$2; shift 2 ;;
    --no-wait) wait=0; shift ;;
    --quick) quick=1; shift ;;
    *) echo "usage: $0 [--stations N] [--orders N] [--pace MS] [--no-wait] | --quick" >&2; exit 2 ;;
  esac
done

./scripts/install-deps.sh
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target packline packline-stationd packline-hub
if [ "$quick" = 1 ]; then exec build/bin/packline demo --orders "$orders"; fi

bin=$PWD/build/bin
work=$(mktemp -d /tmp/packline-demo-XXXXXX)
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# A free loopback port for the broker.
port=18830
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

# The broker runs as a real site's does (docs/mqtt/mosquitto.conf and
# mosquitto.acl): no anonymous clients, a password for every station and for
# the hub, each client confined to its own topics, client ids bound to users.
secret() { head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 14; }
: >"$work/mosquitto.passwd"
chmod 600 "$work/mosquitto.passwd"
for user in hub $(seq -f 'bench-%g' 1 "$stations"); do
  secret >"$work/$user.password"
  chmod 600 "$work/$user.password"
  /usr/bin/mosquitto_passwd -b "$work/mosquitto.passwd" "$user" "$(cat "$work/$user.password")"
done
sed 's|packline/v1/ams1/|packline/v1/demo/|' docs/mqtt/mosquitto.acl >"$work/mosquitto.acl"
{
  echo "listener $port 127.0.0.1"
  echo "allow_anonymous false"
  echo "password_file $work/mosquitto.passwd"
  echo "acl_file $work/mosquitto.acl"
  echo "persistence false"
  if [ "$(id -u)" = 0 ]; then echo "user root"; fi
  # The shipped behaviour settings (client ids bound to users, TCP_NODELAY).
  grep -E '^(use_username_as_clientid|set_tcp_nodelay) ' docs/mqtt/mosquitto.conf
} >"$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)

cat >"$work/hub.toml" <<EOF
[hub]
sites = ["demo"]
database = "hub.db"
[mqtt]
brokers = ["tcp://127.0.0.1:$port"]
username = "hub"
password_file = "$work/hub.password"
EOF
password=$(secret)
echo "$password" | "$bin/packline-hub" user add supervisor --display-name "Demo Supervisor" \
  --config "$work/hub.toml" >/dev/null

# Open orders with deadlines at the hub, so the ship-by panel has something
# to show (the stations pack their own demo orders).
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
cat >"$work/open-orders.json" <<EOF
{"schema": "packline.import/1",
 "skus": [{"sku": "MUG-W", "name": "White mug", "style": "MUG", "size": "-", "colour": "White",
           "unit_weight_g": 350, "barcodes": ["0036000291452"]}],
 "orders": [
$(for i in 1 2 3 4 5 6; do
    case $i in
      1|2) created=$(iso '-6 hours'); ship=$(iso '+5 hours') ;;
      3|4) created=$(iso '-30 hours'); ship=$(iso '-3 hours') ;;
      *) created=$(iso '-60 hours'); ship=$(iso '-36 hours') ;;
    esac
    [ "$i" = 1 ] || echo ","
    echo "  {\"id\": \"DEMO-$i\", \"site\": \"demo\", \"status\": \"open\", \"carrier\": \"ups\","
    echo "   \"created_at\": \"$created\", \"ship_by\": \"$ship\","
    echo "   \"recipient\": {\"name\": \"Customer $i\", \"phone\": \"+1 415-555-01$((30 + i))\","
    echo "     \"address\": {\"lines\": [\"$i Market St\"], \"city\": \"San Francisco\", \"region\": \"CA\","
    echo "                 \"postal_code\": \"94105\", \"country\": \"US\"}},"
    echo "   \"lines\": [{\"sku\": \"MUG-W\", \"quantity\": 1}]}"
  done)
 ]}
EOF

(cd "$work" && exec "$bin/packline-hub" run --config hub.toml --dashboard 127.0.0.1:0) \
  >"$work/hub.log" 2>&1 &
pids+=($!)
address_in() {  # waits for "<prefix> http://..." in a log and prints the address
  local log=$1 prefix=$2 tries=100
  while [ $tries -gt 0 ]; do
    if grep -q "$prefix" "$log" 2>/dev/null; then
      grep -o "$prefix http://[^ ]*" "$log" | head -n 1 | sed "s|^$prefix ||"
      return 0
    fi
    sleep 0.1
    tries=$((tries - 1))
  done
  return 1
}
dashboard=$(address_in "$work/hub.log" "hub: dashboard") || {
  echo "demo: the hub did not start:" >&2
  cat "$work/hub.log" >&2
  exit 1
}
(cd "$work" && "$bin/packline-hub" import --config hub.toml open-orders.json >/dev/null)

screens=()
for n in $(seq 1 "$stations"); do
  cat >"$work/station-$n.toml" <<EOF
[station]
id = "bench-$n"
site = "demo"
database = "$work/station-$n.db"
packer = "packer-$n"
[screen]
listen = "127.0.0.1:0"
[sync]
brokers = ["tcp://127.0.0.1:$port"]
username = "bench-$n"
password_file = "$work/bench-$n.password"
EOF
  "$bin/packline-stationd" --config "$work/station-$n.toml" --shift "$orders" --seed "$n" \
    --pace "$pace" >"$work/station-$n.log" 2>&1 &
  pids+=($!)
  screens+=("$(address_in "$work/station-$n.log" "packline-stationd: packer screen" || echo "(not started: see $work/station-$n.log)")")
done

echo
echo "Packline demo site: $stations stations packing $orders orders each (files in $work)"
echo
echo "  Supervisor dashboard:  $dashboard"
echo "      sign in as:        supervisor / $password"
for n in $(seq 1 "$stations"); do
  echo "  Packer screen bench-$n: ${screens[$((n - 1))]}"
done
echo
if [ -n "${DISPLAY:-}" ] && command -v xdg-open >/dev/null 2>&1; then
  xdg-open "$dashboard" >/dev/null 2>&1 || true
  xdg-open "${screens[0]}" >/dev/null 2>&1 || true
fi

status=0
for n in $(seq 1 "$stations"); do
  # The station pids follow mosquitto and the hub in pids[].
  if ! wait "${pids[$((n + 1))]}"; then status=1; fi
  echo "bench-$n: $(grep -E 'caught|confirmed' "$work/station-$n.log" | tail -n 2 | tr '\n' ' ')"
done
echo
if [ "$wait" = 1 ]; then
  echo "The shifts are over. The dashboard stays up at $dashboard until you press Ctrl-C."
  wait "${pids[1]}" || true
fi
exit $status
