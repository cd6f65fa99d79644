#!/bin/sh
# Run once by the compose file's "keys" service, in the iso-switch image: creates the shared local
# master key, forms the issuers' ZMK and the terminals' TMK from the simulators' published TEST
# components (they protect nothing real), and writes each node's configuration with those key
# blocks. Idempotent: an existing LMK and configuration are kept.
set -eu
DATA=/var/lib/iso-switch/data
ISO="java --enable-native-access=ALL-UNNAMED -jar /opt/iso-switch/iso-switch.jar"
TEST_ZMK=0123456789ABCDEFFEDCBA9876543210
TEST_TMK=89ABCDEF0123456776543210FEDCBA98
cd "$DATA"
if [ -f switch-node-1.yaml ] && [ -f switch-node-2.yaml ]; then
  echo "keys and configuration already in place"
  exit 0
fi
[ -f lmk.key ] || $ISO keys init --lmk "$DATA/lmk.key"
block() { $ISO keys form --lmk "$DATA/lmk.key" --kind "$1" --component "$2" | sed -n 's/^key block: *//p'; }
ZMK=$(block ZMK "$TEST_ZMK")
TMK=$(block TMK "$TEST_TMK")
sed "s/@TMK@/$TMK/g" /etc/iso-switch/terminals.yaml.template > terminals.yaml
cp /etc/iso-switch/routes.yaml routes.yaml
for node in node-1 node-2; do
  sed -e "s/@NODE@/$node/g" -e "s/@ZMK@/$ZMK/g" /etc/iso-switch/switch.yaml.template > "switch-$node.yaml"
done
echo "LMK, ZMK and TMK ready; configuration written for node-1 and node-2"
