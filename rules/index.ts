/**
 * The rule registry: explicit, so the set of rules is visible in one place. Ids and names must be unique
 * (checked here at load, and by the engine for every set it is given, plugins included).
 */
import { type Rule, ruleClash } from "../src/engine/rule.js";
import CD000 from "./CD000-internal-error.js";
import CD001 from "./CD001-unexplained-runtime-error.js";
import CD002 from "./CD002-ignore-expired.js";
import CD003 from "./CD003-ignore-unused.js";
import CD101 from "./CD101-cert-without-key.js";
import CD102 from "./CD102-key-without-cert.js";
import CD103 from "./CD103-ca-saved-as-cert.js";
import CD104 from "./CD104-client-cert-saved-as-crt.js";
import CD105 from "./CD105-host-port-443.js";
import CD106 from "./CD106-ignored-extension.js";
import CD107 from "./CD107-unreadable-entry.js";
import CD108 from "./CD108-loopback-registry.js";
import CD109 from "./CD109-docker-hub-directory.js";
import CD110 from "./CD110-appledouble-file.js";
import CD111 from "./CD111-host-path-is-file.js";
import CD112 from "./CD112-containerd-only-directory.js";
import CD113 from "./CD113-backup-still-loaded.js";
import CD115 from "./CD115-host-dir-url.js";
import CD116 from "./CD116-host-dir-name-unmatchable.js";
import CD117 from "./CD117-empty-host-directory.js";
import CD118 from "./CD118-several-client-pairs.js";
import CD119 from "./CD119-subdirectory-ignored.js";
import CD120 from "./CD120-file-in-certs-root.js";
import CD121 from "./CD121-private-key-readable.js";
import CD201 from "./CD201-crt-no-usable-certificate.js";
import CD202 from "./CD202-cert-file-without-certificate.js";
import CD203 from "./CD203-key-file-without-key.js";
import CD204 from "./CD204-client-certificate-unparseable.js";
import CD205 from "./CD205-crt-partly-usable.js";
import CD206 from "./CD206-private-key-in-crt.js";
import CD207 from "./CD207-pem-byte-order-mark.js";
import CD208 from "./CD208-pem-indented.js";
import CD209 from "./CD209-pem-end-mismatch.js";
import CD210 from "./CD210-pem-bad-base64.js";
import CD211 from "./CD211-pem-missing-end.js";
import CD212 from "./CD212-pem-text-on-boundary-line.js";
import CD213 from "./CD213-certificate-with-headers.js";
import CD301 from "./CD301-key-mismatch.js";
import CD302 from "./CD302-key-unparseable.js";
import CD303 from "./CD303-key-encrypted.js";
import CD304 from "./CD304-key-type-mismatch.js";
import CD305 from "./CD305-leaf-not-first.js";
import CD306 from "./CD306-certificate-key-unsupported.js";
import CD307 from "./CD307-client-cert-without-client-auth.js";
import CD308 from "./CD308-client-cert-is-ca.js";
import CD309 from "./CD309-ca-private-key.js";
import CD310 from "./CD310-server-private-key.js";
import CD311 from "./CD311-client-key-dangling.js";
import CD401 from "./CD401-certificate-expired.js";
import CD402 from "./CD402-certificate-not-yet-valid.js";
import CD403 from "./CD403-certificate-expiring-soon.js";
import CD404 from "./CD404-ca-cannot-sign.js";
import CD405 from "./CD405-pinned-certificate-name-mismatch.js";
import CD406 from "./CD406-pinned-server-certificate.js";
import CD407 from "./CD407-weak-signature-algorithm.js";
import CD408 from "./CD408-rsa-key-too-small.js";
import CD409 from "./CD409-negative-serial.js";
import CD410 from "./CD410-duplicate-ca.js";
import CD411 from "./CD411-ca-same-name-different-key.js";
import CD412 from "./CD412-unhandled-critical-extension.js";
import CD413 from "./CD413-ca-excludes-server-auth.js";
import CD501 from "./CD501-hosts-toml-invalid.js";
import CD502 from "./CD502-hosts-toml-file-unusable.js";
import CD503 from "./CD503-hosts-toml-switches-off-legacy.js";
import CD504 from "./CD504-hosts-toml-unknown-key.js";
import CD505 from "./CD505-hosts-toml-url-without-scheme.js";
import CD506 from "./CD506-hosts-toml-host-not-a-table.js";
import CD507 from "./CD507-hosts-toml-skip-verify.js";
import CD508 from "./CD508-hosts-toml-misnamed.js";
import CD509 from "./CD509-hosts-toml-docker-hub-server.js";
import CD510 from "./CD510-hosts-toml-ignored-by-classic.js";
import CD511 from "./CD511-hosts-toml-is-directory.js";
import CD601 from "./CD601-insecure-registry-certificates.js";
import CD602 from "./CD602-containerd-default-shadows.js";
import CD603 from "./CD603-podman-root-shadowed.js";
import CD604 from "./CD604-root-nobody-reads.js";
import CD605 from "./CD605-symlink-leaves-sysroot.js";
import CD606 from "./CD606-config-path-list-transfer.js";
import CD607 from "./CD607-rancher-generated-tree.js";
import CD610 from "./CD610-restart-needed.js";
import CD611 from "./CD611-mirror-directories.js";
import CD612 from "./CD612-daemon-user-cannot-read.js";
import CD608 from "./CD608-wrong-machine.js";
import CD609 from "./CD609-buildx-ignores-certs-d.js";

export const RULES: readonly Rule[] = [
  CD000,
  CD001,
  CD002,
  CD003,
  CD101,
  CD102,
  CD103,
  CD104,
  CD105,
  CD106,
  CD107,
  CD108,
  CD109,
  CD110,
  CD111,
  CD112,
  CD113,
  CD115,
  CD116,
  CD117,
  CD118,
  CD119,
  CD120,
  CD121,
  CD201,
  CD202,
  CD203,
  CD204,
  CD205,
  CD206,
  CD207,
  CD208,
  CD209,
  CD210,
  CD211,
  CD212,
  CD213,
  CD301,
  CD302,
  CD303,
  CD304,
  CD305,
  CD306,
  CD307,
  CD308,
  CD309,
  CD310,
  CD311,
  CD401,
  CD402,
  CD403,
  CD404,
  CD405,
  CD406,
  CD407,
  CD408,
  CD409,
  CD410,
  CD411,
  CD412,
  CD413,
  CD501,
  CD502,
  CD503,
  CD504,
  CD505,
  CD506,
  CD507,
  CD508,
  CD509,
  CD510,
  CD511,
  CD601,
  CD602,
  CD603,
  CD604,
  CD605,
  CD606,
  CD607,
  CD610,
  CD611,
  CD612,
  CD608,
  CD609,
];

const clash = ruleClash(RULES.map((r) => r.meta));
if (clash) throw new Error(clash);
