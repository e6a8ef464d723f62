/**
 * The rule registry: explicit, so the set of rules is visible in one place. Ids and names must be unique
 * (checked here at load, and again by the engine for plugin sets).
 */
import type { Rule } from "../src/engine/rule.js";
import CD001 from "./CD001-unexplained-runtime-error.js";
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
import CD201 from "./CD201-crt-no-usable-certificate.js";
import CD202 from "./CD202-cert-file-without-certificate.js";
import CD203 from "./CD203-key-file-without-key.js";
import CD204 from "./CD204-client-certificate-unparseable.js";
import CD301 from "./CD301-key-mismatch.js";
import CD302 from "./CD302-key-unparseable.js";
import CD501 from "./CD501-hosts-toml-invalid.js";
import CD502 from "./CD502-hosts-toml-file-unusable.js";
import CD503 from "./CD503-hosts-toml-switches-off-legacy.js";
import CD504 from "./CD504-hosts-toml-unknown-key.js";

export const RULES: readonly Rule[] = [CD001, CD101, CD102, CD103, CD104, CD105, CD106, CD107, CD108, CD109, CD110, CD111, CD112, CD201, CD202, CD203, CD204, CD301, CD302, CD501, CD502, CD503, CD504];

const seen = new Set<string>();
for (const r of RULES) {
  for (const key of [r.meta.id, r.meta.name]) {
    if (seen.has(key)) throw new Error(`duplicate rule id or name: ${key}`);
    seen.add(key);
  }
}
