import { defineRule } from "../src/engine/rule.js";
import { clip } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
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
    // The gate's decision (isSecureIndex): a name listed exactly, or an address of it inside a listed CIDR; a
    // loopback address is CD108's case.
    const docker = ctx.runtimes.docker;
    const skip = docker?.status === "not-read" ? docker.skip : undefined;
    if (!skip?.entry || (skip.kind !== "insecure-name" && skip.kind !== "insecure-cidr")) return;
    const name = ctx.host.name;
    const entry = skip.entry;
    const where = skip.address
      ? `${clip(name, 45)} resolves into insecure ${entry}`
      : `${clip(name, 45)} is in insecure-registries (${clip(entry, 45)})`;
    const resolved = skip.address ? ` ${name} resolves to ${skip.address}, inside ${entry}.` : "";
    const client = ctx.host.entries.some((e) => goExt(e.name) === ".cert" || goExt(e.name) === ".key");
    const readers = ctx.others.length ? ` ${say(ctx.others, "still reads", "still read")} the directory.` : "";
    report({
      severity: client ? "error" : "warning",
      messageId: client ? "client-certificate" : "ca-only",
      headline: client
        ? `${where}: dockerd never sends this client certificate`
        : `${where}: dockerd never reads this directory`,
      why:
        `dockerd loads certs.d only for a secure registry (registry.go newTLSConfig); one listed in daemon.json ` +
        `insecure-registries gets verification turned off, no CA from here and no client certificate, so a ` +
        `registry that requires one refuses the handshake (dockerd's debug log: "remote error: tls: bad ` +
        `certificate"); dockerd then tries plain HTTP and prints that attempt's error instead, such as "read: ` +
        `connection reset by peer" (docker/docs#26089).${resolved}${readers}`,
      fix: {
        text:
          `Remove ${entry} from insecure-registries in /etc/docker/daemon.json and run systemctl reload docker ` +
          `(dockerd re-reads insecure-registries on SIGHUP; leave "insecure-registries": [] rather than deleting the ` +
          `key, or restart), so that the certificates here are used`,
      },
    });
  },
});
