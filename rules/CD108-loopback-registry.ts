import { defineRule } from "../src/engine/rule.js";
import { say } from "../src/facts/wording.js";
import { goExt } from "../src/scan/names.js";

export default defineRule({
  meta: {
    id: "CD108",
    name: "loopback-registry",
    severity: "error",
    description:
      "A directory for localhost or a loopback address, which dockerd never reads (it treats them as insecure)",
    runtimes: ["docker"],
  },
  check(ctx, report) {
    const docker = ctx.runtimes.docker;
    // dockerd's insecure-registry gate decided on a loopback address: the name itself, or what it resolves to.
    if (docker?.status !== "not-read" || docker.skip?.kind !== "loopback") return;
    const others = ctx.others;
    const readers = others.length ? ` ${say(others, "does read", "do read")} it.` : "";
    const clientMaterial = ctx.host.entries.some((e) => goExt(e.name) === ".cert" || goExt(e.name) === ".key");
    report({
      severity: clientMaterial ? "error" : "warning",
      runtimes: ["docker"],
      ...(clientMaterial
        ? {
            messageId: "client-certificate-never-sent",
            headline: "Loopback registry: dockerd never reads this directory, nor sends its client certificate",
            why:
              `${docker.reason}. The client certificate here is never sent by dockerd, ` +
              `so a registry that requires one refuses the handshake (dockerd's debug log: "remote error: tls: bad ` +
              `certificate") and dockerd, falling back to plain HTTP, prints that attempt's error, such as "read: ` +
              `connection reset by peer".${readers}`,
            fix: {
              text: "Reach the registry by a name that does not resolve to loopback (docker/docs#26089, moby/moby#31326).",
            },
          }
        : {
            messageId: "never-read",
            headline: "Loopback registry: dockerd never reads this directory (it treats it as insecure)",
            why: `${docker.reason}; dockerd talks to it without verifying its certificate, or over plain HTTP.${readers}`,
          }),
    });
  },
});
