import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD111",
    name: "host-path-is-file",
    severity: "error",
    description: "A host directory's path is a file (cp ca.crt certs.d/myreg:5000 before the directory existed)",
    runtimes: ["docker"],
    programText: { docker: "readdirent <path>: not a directory" },
  },
  check(ctx, report) {
    const err = ctx.host.listError;
    if (err?.code !== "ENOTDIR") return;
    const docker = ctx.runtimes.docker?.error ?? undefined;
    report({
      message: `${ctx.host.path} is a file, not a directory: Docker lists it to find the registry's certificates and fails every pull, push and login for ${ctx.host.name}. This is what \`cp ca.crt ${ctx.host.path}\` does when the directory does not exist yet: move the file aside, \`mkdir ${ctx.host.path}\`, and put it back inside as ca.crt.`,
      ...(docker ? { runtimeErrors: { docker } } : {}),
    });
  },
});
