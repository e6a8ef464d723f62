import { defineRule } from "../src/engine/rule.js";
import { names, shellQuote } from "../src/facts/wording.js";
import { goExt, LIVE_EXTENSIONS } from "../src/scan/names.js";

/**
 * A .crt, .cert or .key directly in the certs root, beside the host directories. No runtime reads it:
 * - Docker classic (moby registry/registry.go, v20.10.24): newTLSConfig reads only HostCertsDir(hostname), which is
 *   filepath.Join(CertsDir(), cleanPath(hostname)), with ReadCertsDirectory.
 * - containerd (core/remotes/docker/config/config_unix.go hostPaths, 301026e58c; the same in v1.6.20): only
 *   `<root>/host_port_`, `<root>/<host>` and `<root>/_default` are tried (HostDirFromRoot, hosts.go).
 * - containers/image (docker/docker_client.go dockerCertDir, df7e80d2): `<root>/<host:port>` in each search root.
 */
export default defineRule({
  meta: {
    id: "CD120",
    name: "file-in-certs-root",
    severity: "warning",
    description:
      "A .crt, .cert or .key directly in the certs root: no runtime reads it, only <root>/<host>/ is looked at",
  },
  check() {},
  checkRoot(ctx, report) {
    const dirs = ctx.hosts.filter((h) => h.listError?.code !== "ENOTDIR");
    const hostDirs = dirs.map((h) => h.name);
    for (const e of ctx.files) {
      if (!LIVE_EXTENSIONS.includes(goExt(e.name)) || e.kind !== "file") continue;
      const kind = e.name.endsWith(".crt") ? "CA file" : e.name.endsWith(".cert") ? "client certificate" : "key";
      const target =
        hostDirs.length === 1
          ? `${hostDirs[0]}/`
          : hostDirs.length
            ? `every host directory here (${hostDirs.map((h) => `${h}/`).join(", ")})`
            : "a host directory named after the registry (host:port)";
      const wanted =
        kind === "CA file"
          ? hostDirs.length === 1
            ? `It was probably meant for ${target}; whether it signs that registry's certificate only the server can tell.`
            : `Which of ${target} it belongs in depends on which registries' certificates it signed: only the servers can tell.`
          : `It belongs with its partner in the host directory of the registry it is for (${target}).`;
      const only = hostDirs.length === 1 ? hostDirs[0]! : null;
      const clash = only !== null && dirs[0]!.entries.some((x) => x.name === e.name);
      report({
        file: e.name,
        headline: `${e.name} is in the certs root, where no runtime looks: it is never loaded`,
        why:
          `${names(ctx.checked)} read only the host directories (<root>/<host>/, and containerd <root>/_default/), ` +
          `never files beside them: the ${kind} ${e.name} is ignored by all of them. ${wanted}`,
        fix:
          only && !clash
            ? {
                text: `In the certs root, move it into ${only}/:`,
                command: `mv ${shellQuote(e.name)} ${shellQuote(`${only}/${e.name}`)}`,
              }
            : clash
              ? { text: `Compare it with ${only}/${e.name}, which exists, and keep the right one there` }
              : { text: `Move it into the host directory of each registry it is for (copy it for several)` },
      });
    }
  },
});
