import { defineRule } from "../src/engine/rule.js";
import { goExt } from "../src/runtimes/docker.js";

export default defineRule({
  meta: {
    id: "CD108",
    name: "loopback-registry",
    severity: "error",
    description: "A directory for localhost or a loopback address, which dockerd never reads (it treats them as insecure)",
    runtimes: ["docker"],
  },
  check(ctx, report) {
    const docker = ctx.runtimes.docker;
    if (docker?.status !== "not-read" || ctx.host.name.includes("docker.io")) return;
    const clientMaterial = ctx.host.entries.some((e) => goExt(e.name) === ".cert" || goExt(e.name) === ".key");
    report({
      severity: clientMaterial ? "error" : "warning",
      message: clientMaterial
        ? `${docker.reason}. The client certificate here is never sent, so a registry that requires one rejects dockerd (remote error: tls: bad certificate). Reach the registry by a name that does not resolve to loopback (docker/docs#26089, moby/moby#31326).`
        : `${docker.reason}; dockerd talks to it without verifying its certificate, or over plain HTTP. The files here matter only to other clients (docker CLI, podman, containerd).`,
    });
  },
});
