import { defineRule } from "../src/engine/rule.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { goExt } from "../src/scan/names.js";

// Loader-semantics §3.3, §4, §9.3 and §11 item 32, checked against the sources:
// - classic: daemon/pkg/registry/service_v2.go lookupV2Endpoints @ b985e2313a loads newTLSConfig(mirrorURL.Host, …)
//   for every registry-mirrors entry when the host is Docker Hub, and returns its error at once, before Hub itself;
// - Docker's containerd store and BuildKit: daemon/hosts.go mergeLegacyConfig/mirrorsToRegistryHosts clone the
//   docker.io host entry (its HTTP client and TLS settings) for each mirror, so certs.d/<mirror> is not read;
// - containerd: a [host."…"] table's TLS comes from its own ca/client/skip_verify keys only
//   (core/remotes/docker/config/hosts.go parseHostConfig @ 301026e58c); HostDir is asked for the pulled host only.

const LIVE = new Set([".crt", ".cert", ".key"]);

/** The host[:port] of a hosts.toml endpoint URL (`https://mirror:5000/v2` → `mirror:5000`). */
function urlHost(u: string): string | null {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(u)?.[1] ?? null;
}

/** The directory names containerd tries for a host (config_unix.go hostPaths), without _default. */
function ctrdNames(host: string): string[] {
  const port = /^(.*):(\d+)$/.exec(host);
  return [...(port ? [`${port[1]}_${port[2]}_`] : []), host];
}

export default defineRule({
  meta: {
    id: "CD611",
    name: "mirror-directories",
    severity: "warning",
    description:
      "Registry mirrors' certificate directories: a broken one fails every Docker Hub pull on dockerd's classic " +
      "path; the containerd store and BuildKit use docker.io's instead; containerd's hosts.toml mirrors never read one",
  },
  check(ctx, report) {
    const name = ctx.host.name;
    const mirrors = ctx.system?.dockerMirrors ?? [];
    const material = ctx.host.entries.filter((e) => LIVE.has(goExt(e.name)));

    // dockerd classic: a registry-mirrors entry whose directory fails aborts Docker Hub pulls.
    const classic = ctx.runtimes.docker;
    if (mirrors.includes(name) && classic?.status === "error" && classic.error) {
      report({
        messageId: "classic-mirror-fails",
        severity: "error",
        runtimes: ["docker"],
        headline: `${name} is a registry mirror: this directory's error fails every Docker Hub pull`,
        why:
          `dockerd loads each registry-mirrors entry's directory before it tries Docker Hub and returns the first ` +
          `error at once (service_v2.go lookupV2Endpoints), so \`docker pull\` of any Hub image fails with ` +
          `"${classic.printed ?? classic.error}", whichever mirror would have served it. Push and login skip mirrors from v28 on; before, they fail the same way.`,
        fix: { text: `Repair the files here (the other findings say how), or remove ${name} from registry-mirrors` },
      });
    }

    // Docker's containerd store and BuildKit: mirrors take docker.io's (or _default's) settings.
    const dc = ctx.runtimes["docker-containerd"];
    if (mirrors.includes(name) && dc && material.length) {
      const hub = ["docker.io", "_default"].find((d) => ctx.host.siblings.includes(d));
      if (!hub)
        report({
          messageId: "containerd-store-mirror",
          severity: "warning",
          runtimes: ["docker-containerd"],
          headline: `Mirror ${name}: the containerd image store and BuildKit do not read this directory`,
          why:
            `For daemon.json registry-mirrors, Docker's containerd image store and BuildKit copy the docker.io ` +
            `host's settings, TLS included (daemon/hosts.go mirrorsToRegistryHosts), so they use certs.d/docker.io ` +
            `(or _default), which do not exist here; only the classic path reads ${name}.`,
          fix: {
            text:
              `Put the mirror's CA (and client pair) in docker.io beside this directory as well, or write ` +
              `docker.io/hosts.toml with a [host."https://${name}"] table whose ca and client give these files' ` +
              `absolute paths`,
          },
        });
    }

    // containerd hosts.toml: a [host] table's TLS comes from the table only, never from certs.d/<mirror>.
    const byMirror = new Map<string, { dir: string; server: string; own: boolean; runtimes: RuntimeId[] }>();
    for (const r of ["docker-containerd", "containerd"] as const) {
      const toml = ctx.runtimes[r]?.hostsToml;
      if (toml?.status !== "valid") continue;
      // The last endpoint is the top-level `server` (or the implicit upstream): the registry itself, not a mirror.
      for (const ep of toml.endpoints.slice(0, -1)) {
        const h = urlHost(ep.url);
        if (!h || h === name) continue;
        const dir = ctrdNames(h).find((d) => ctx.host.siblings.includes(d));
        if (!dir) continue;
        const known = byMirror.get(h);
        if (known) {
          if (!known.runtimes.includes(r)) known.runtimes.push(r);
          continue;
        }
        byMirror.set(h, {
          dir,
          server: ep.server || ep.url,
          own: ep.ca.length > 0 || ep.client.length > 0,
          runtimes: [r],
        });
      }
    }
    for (const [h, m] of byMirror)
      report({
        file: "hosts.toml",
        messageId: "hosts-toml-mirror",
        severity: "warning",
        runtimes: m.runtimes,
        headline: `Mirror ${h} takes TLS only from its [host] table, never from ../${m.dir}`,
        why:
          `containerd looks up the host directory of the registry pulled from (${name}) only; a [host."…"] ` +
          `table's certificates come from its own ca, client and skip_verify keys (hosts.go parseHostConfig). ` +
          `The directory ${m.dir} beside this one is read only for pulls that name ${h} itself` +
          `${m.own ? "; this table names files of its own" : ", and this table names none"}.`,
        fix: {
          text:
            `Name the mirror's CA and client files in the [host."${m.server}"] table ` +
            `(ca = "…", client = [["…", "…"]])`,
        },
      });
  },
});
