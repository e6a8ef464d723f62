/**
 * What the next k3s or RKE2 agent start does to the directories of its generated certs.d tree (computed by
 * src/host/rancher.ts, judged by rule CD607). Types only, so that HostSettings can carry them.
 */
export type RancherDistro = "k3s" | "rke2";

/** A file registries.yaml names, as the generated hosts.toml will reference it. */
export interface ReferencedFile {
  role: "ca_file" | "cert_file" | "key_file";
  /** As written in registries.yaml. */
  value: string;
  /** Where containerd will look, as the machine sees it. */
  path: string;
  exists: boolean;
  /** The `configs` key naming it. */
  configKey: string;
}

/** What the next start does to one existing directory of the tree. */
export interface TreeFate {
  distro: RancherDistro;
  /** The host directory's name. */
  dir: string;
  /** replaced: removed and written anew from registries.yaml; removed: a generated directory nothing generates now. */
  fate: "replaced" | "removed";
  /** The first line of its hosts.toml is the generator's header. */
  generated: boolean;
  /** Entries the start deletes (every entry for `removed`; all but hosts.toml for `replaced`), byte order. */
  deleted: string[];
  /** hosts.toml is there and will be rewritten (`replaced` only). */
  hostsTomlRewritten: boolean;
  /** Settings in the present hosts.toml that the rewritten one lacks (hand edits), in words. */
  lostSettings: string[];
  /** The registries.yaml entry that keeps what is lost, as YAML (null when nothing is worth keeping). */
  yaml: string | null;
  /** Files the yaml names that must first be moved out of the tree: name → new machine path. */
  moves: Record<string, string>;
  /** The generated host's referenced files that do not exist (an error at the first pull). */
  missing: ReferencedFile[];
  /** registries.yaml as the machine sees it, and whether it exists. */
  registriesYaml: string;
  registriesYamlExists: boolean;
  /** The generated tree, as the machine sees it. */
  root: string;
}
