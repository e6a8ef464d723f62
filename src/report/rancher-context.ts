/**
 * The k3s/RKE2 part of the JSON report's `context` (`registriesYaml`, schema/report.v1.schema.json) and its lines in
 * the stylish context block.
 */
import type { RancherNode } from "../host/rancher.js";

export interface RancherContext {
  distro: "k3s" | "rke2";
  /** registries.yaml as the machine sees it. */
  path: string;
  present: boolean;
  /** Why the agent would refuse it (certsd-lint's words), else null. */
  error: string | null;
  /** The generated certs.d tree. */
  root: string;
  rootExists: boolean;
  /** The host directories the next agent start writes, one hosts.toml each. */
  generated: Array<{
    dir: string;
    endpoints: Array<{
      url: string;
      default: boolean;
      ca: string | null;
      client: [string, string] | null;
      skipVerify: boolean;
      overridePath: boolean;
    }>;
    files: Array<{ role: string; value: string; path: string; exists: boolean }>;
  }>;
  /** Existing host directories the next start replaces or removes, and what is lost. */
  nextStart: Array<{
    dir: string;
    fate: "replaced" | "removed";
    deleted: string[];
    hostsTomlRewritten: boolean;
    lostSettings: string[];
  }>;
}

export function rancherContext(nodes: readonly RancherNode[]): RancherContext[] {
  return nodes.map((n) => ({
    distro: n.distro,
    path: n.registriesYamlPath,
    present: n.registriesYaml !== null,
    error: n.registriesYaml?.error ?? null,
    root: n.root,
    rootExists: n.rootExists,
    generated: n.generated.map((g) => ({
      dir: g.dir,
      endpoints: g.endpoints.map((e) => ({
        url: e.url,
        default: e.isDefault,
        ca: e.ca,
        client: e.client,
        skipVerify: e.skipVerify,
        overridePath: e.overridePath,
      })),
      files: g.files.map((f) => ({ role: f.role, value: f.value, path: f.path, exists: f.exists })),
    })),
    nextStart: Object.values(n.fates)
      .filter((f) => f.fate === "removed" || f.deleted.length > 0 || f.lostSettings.length > 0 || f.hostsTomlRewritten)
      .map((f) => ({
        dir: f.dir,
        fate: f.fate,
        deleted: f.deleted,
        hostsTomlRewritten: f.hostsTomlRewritten,
        lostSettings: f.lostSettings,
      })),
  }));
}

/** Lines for the stylish context block: [text, whether it is a problem]. */
export function rancherLines(ctx: readonly RancherContext[]): Array<[string, boolean]> {
  const out: Array<[string, boolean]> = [];
  for (const r of ctx) {
    if (r.error) out.push([`  ${r.distro} ${r.error}`, true]);
    else if (r.present)
      out.push([
        `  ${r.distro} generates ${r.generated.length ? r.generated.map((g) => g.dir).join(", ") : "no host directory"} in ${r.root} from ${r.path} at every start`,
        false,
      ]);
    else if (r.rootExists)
      out.push([
        `  ${r.distro}: no ${r.path}; the next start removes every directory it generated in ${r.root}`,
        false,
      ]);
    // Said here too: with no generated tree yet (a node image before its first start) no finding can carry it.
    const missing = new Map(r.generated.flatMap((g) => g.files.filter((f) => !f.exists).map((f) => [f.path, f])));
    for (const f of missing.values())
      out.push([`  ${r.distro} ${r.path} names ${f.role} ${f.value}, which does not exist on this node`, true]);
    for (const f of r.nextStart)
      if (f.fate === "removed" || f.deleted.length || f.lostSettings.length)
        out.push([`  ${r.distro} next start ${f.fate === "removed" ? "removes" : "replaces"} ${f.dir}/`, true]);
  }
  return out;
}
