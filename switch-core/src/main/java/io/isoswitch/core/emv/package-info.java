/**
 * What UnionPay POS terminals download after sign-on (cup-pos.md 7.1, docs/emv-downloads.md): the
 * IC CA public keys and the IC parameters per AID, read from a YAML file and checked at load, and
 * the answers to the 360 / 362 / 37x / 38x management messages built from them.
 */
package io.isoswitch.core.emv;
