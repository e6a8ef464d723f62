/** What rules ask of the runtime models: which runtimes are checked, what each says about an entry. */
import { TLS_CERT_RATHER_THAN_KEY } from "../material/go-tls.js";
import { DEFAULT_DOCKER_VERSION, dockerEngine } from "../runtimes/docker-engine.js";
import { pairLoadError } from "../runtimes/hostconfig.js";
import { podmanFlavour } from "../runtimes/podman.js";
import type { EntryVerdict, RuntimeId } from "../runtimes/types.js";
import type { HostContext } from "./rule.js";

const dockerWording = dockerEngine(DEFAULT_DOCKER_VERSION).wording;
const podman = podmanFlavour();

/**
 * The pairing errors as the models word them (current releases), with <k> and <c> for the bare key and certificate
 * names: what the metadata of the rules about pairs quotes, from the one place the models take it from.
 */
export const PAIRING_TEXTS = {
  missingKey: {
    docker: dockerWording.missingKey("<k>", "<c>"),
    podman: podman.missingKey("<k>", "<c>"),
    containerd: pairLoadError(TLS_CERT_RATHER_THAN_KEY),
  },
  missingCertificate: { docker: dockerWording.missingCertificate("<c>", "<k>"), podman: podman.missingCertificate("<c>", "<k>") },
} as const;

export const RUNTIME_NAMES: Record<RuntimeId, string> = {
  docker: "Docker",
  "docker-containerd": "Docker's containerd store",
  containerd: "containerd",
  podman: "podman",
};

export const CLASSIC: readonly RuntimeId[] = ["docker", "podman"];
export const CONTAINERD_FAMILY: readonly RuntimeId[] = ["docker-containerd", "containerd"];

export function checked(ctx: HostContext, among?: readonly RuntimeId[]): RuntimeId[] {
  return (Object.keys(ctx.runtimes) as RuntimeId[]).filter((r) => !among || among.includes(r));
}

/** "Docker and podman", "Docker, containerd and podman". */
export function names(ids: readonly RuntimeId[]): string {
  const n = ids.map((i) => RUNTIME_NAMES[i]);
  return n.length <= 1 ? (n[0] ?? "") : `${n.slice(0, -1).join(", ")} and ${n[n.length - 1]}`;
}

/**
 * Per runtime, the error its verdict on the first of `files` that has one carries (optionally only for some causes):
 * what each program prints about these entries.
 */
export function errorsOn(
  ctx: HostContext,
  files: readonly string[],
  causes?: ReadonlyArray<EntryVerdict["cause"]>,
  where: (v: EntryVerdict, r: RuntimeId) => boolean = () => true,
): Partial<Record<RuntimeId, string>> {
  const out: Partial<Record<RuntimeId, string>> = {};
  for (const r of checked(ctx)) {
    for (const f of files) {
      const v = ctx.verdict(r, f);
      if (v?.error && (!causes || causes.includes(v.cause)) && where(v, r)) {
        out[r] = v.error;
        break;
      }
    }
  }
  return out;
}

/** The runtimes (among those checked) whose verdict on `file` satisfies `pred`. */
export function runtimesWhere(ctx: HostContext, file: string, pred: (v: EntryVerdict | undefined, r: RuntimeId) => boolean, among?: readonly RuntimeId[]): RuntimeId[] {
  return checked(ctx, among).filter((r) => pred(ctx.verdict(r, file), r));
}

/**
 * The runtimes as the subject of a verb, agreeing in number: say(["docker"], "fails", "fail") → "Docker fails",
 * say(["docker", "podman"], "fails", "fail") → "Docker and podman fail". Program names keep their case.
 */
export function say(ids: readonly RuntimeId[], singular: string, plural: string): string {
  return `${names(ids)} ${ids.length === 1 ? singular : plural}`;
}

/** A further verb agreeing with the same runtimes: verb(["docker"], "fails", "fail") → "fails". */
export function verb(ids: readonly RuntimeId[], singular: string, plural: string): string {
  return ids.length === 1 ? singular : plural;
}

/** A client "pair" that is one file holding certificate and key (containerd: a .cert with no .key, or hosts.toml's `client = "file"`). */
export function isCombined(v: EntryVerdict): boolean {
  return v.partner === v.file;
}
