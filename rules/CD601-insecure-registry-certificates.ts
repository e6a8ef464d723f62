import { defineRule } from "../src/engine/rule.js";
import { say } from "../src/facts/wording.js";
import { ipv4InCidr } from "../src/runtimes/docker.js";
import { hostPart, isIPv4Loopback, isIPv6Loopback } from "../src/runtimes/host-names.js";
import { goExt } from "../src/scan/names.js";

// moby/moby daemon/pkg/registry/registry.go newTLSConfig and config.go isSecureIndex @ b985e2313a: certs.d is
// loaded only for a secure registry; an insecure one gets InsecureSkipVerify and no client certificate.
export default defineRule({
  meta: {
    id: "CD601",
    name: "insecure-registry-certificates",
    severity: "error",
    description:
      "Certificates for a registry in daemon.json insecure-registries: dockerd's classic path never reads them " +
      "and sends no client certificate",
    runtimes: ["docker"],
  },
  check(ctx, report) {
    const insecure = ctx.system?.dockerInsecure;
    if (!insecure || ctx.runtimes.docker?.status !== "not-read") return;
    const name = ctx.host.name;
    const h = hostPart(name);
    if (h.toLowerCase() === "localhost" || isIPv4Loopback(h) || isIPv6Loopback(h)) return; // CD108's case
    const entry = insecure.names.includes(name) ? name : insecure.cidrs.find((c) => ipv4InCidr(h, c));
    if (!entry) return;
    const client = ctx.host.entries.some((e) => goExt(e.name) === ".cert" || goExt(e.name) === ".key");
    const readers = ctx.others.length ? ` ${say(ctx.others, "still reads", "still read")} the directory.` : "";
    report({
      severity: client ? "error" : "warning",
      messageId: client ? "client-certificate" : "ca-only",
      headline: client
        ? `${name} is in insecure-registries (${entry}): dockerd never sends this client certificate`
        : `${name} is in insecure-registries (${entry}): dockerd never reads this directory`,
      why:
        `dockerd loads certs.d only for a secure registry (registry.go newTLSConfig); one listed in daemon.json ` +
        `insecure-registries gets verification turned off, no CA from here and no client certificate, so a ` +
        `registry that requires one answers "remote error: tls: bad certificate" (docker/docs#26089).${readers}`,
      fix: {
        text:
          `Remove ${entry} from insecure-registries in /etc/docker/daemon.json and restart dockerd, ` +
          `so that the certificates here are used`,
      },
    });
  },
});
