import { defineRule } from "../src/engine/rule.js";
import { goExt } from "../src/runtimes/docker.js";
import { isAppleDouble } from "../src/scan/names.js";

const LIVE = new Set([".crt", ".cert", ".key"]);

export default defineRule({
  meta: {
    id: "CD110",
    name: "appledouble-file",
    severity: "error",
    description: "macOS AppleDouble metadata (._ca.crt, ._client.cert) that the loader takes for certificate files",
    runtimes: ["docker"],
    programText: { docker: "missing key ._<k> for client certificate ._<c>. CA certificates must use the extension .crt" },
  },
  check(ctx, report) {
    const junk = ctx.host.entries.filter((e) => isAppleDouble(e.name) && LIVE.has(goExt(e.name)));
    for (const entry of junk) {
      const v = ctx.verdict("docker", entry.name);
      const docker = v?.error ?? undefined;
      const effect = docker
        ? "Docker takes it for certificate material and fails every pull, push and login for this registry."
        : "Docker reads it as a CA file and finds nothing in it; it does no harm to Docker today, but other loaders fail on it.";
      report({
        file: entry.name,
        severity: docker ? "error" : "warning",
        message: `${entry.name} is macOS metadata (an AppleDouble file, left by copying from a Mac), not a certificate. ${effect} Delete every ._* file here (\`rm ${ctx.host.path}/._*\`).`,
        ...(docker ? { runtimeErrors: { docker } } : {}),
      });
    }
  },
});
