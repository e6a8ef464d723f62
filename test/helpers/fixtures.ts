/**
 * Access to the generated fixture trees. Entries git cannot store (empty directories, FIFOs) or should not (a 1.1 MB
 * bundle) are created in a temporary copy of the case, which is removed by cleanupFixtures().
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ManifestCase } from "../../fixtures/generate.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CASES = path.join(REPO, "fixtures", "cases");
export const EXAMPLES = path.join(REPO, "examples", "certs.d");
export const CLI = path.join(REPO, "dist", "src", "cli", "main.js");
/** The clock fixture tests run at: inside every fixture certificate's validity except the expired ones. */
export const NOW = "2026-11-23T00:00:00Z";

export const MANIFEST: ManifestCase[] = (
  JSON.parse(readFileSync(path.join(CASES, "manifest.json"), "utf8")) as { cases: ManifestCase[] }
).cases;

const temps: string[] = [];

/** The certs root of a case, ready to lint (a temporary copy when it has ephemeral entries). */
export function caseRoot(id: string): string {
  const c = MANIFEST.find((m) => m.id === id);
  if (!c) throw new Error(`no fixture case ${id}`);
  const committed = path.join(CASES, id);
  if (c.ephemeral.length === 0) return committed;
  const tmp = mkdtempSync(path.join(os.tmpdir(), `certsd-case-${id}-`));
  temps.push(tmp);
  const root = path.join(tmp, id);
  if (existsSync(committed)) cpSync(committed, root, { recursive: true, verbatimSymlinks: true });
  else mkdirSync(root); // a case made only of ephemeral entries has nothing committed
  for (const e of c.ephemeral) {
    const target = path.join(root, e.host, e.path);
    if (e.kind === "dir") mkdirSync(target, { recursive: true });
    else if (e.kind === "repeat") {
      mkdirSync(path.dirname(target), { recursive: true });
      const data = Buffer.from(e.data!, "base64");
      writeFileSync(
        target,
        Buffer.concat([...Array.from({ length: e.times! }, () => data), Buffer.from(e.tail!, "base64")]),
        { mode: 0o644 },
      );
    } else {
      mkdirSync(path.dirname(target), { recursive: true });
      execFileSync("mkfifo", [target]);
    }
  }
  return root;
}

/** The single host directory of a case. */
export function caseHost(id: string, host?: string): string {
  const c = MANIFEST.find((m) => m.id === id)!;
  return path.join(caseRoot(id), host ?? c.hosts[0]!);
}

export function cleanupFixtures(): void {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
}

/**
 * Private keys in a copied tree made 0600, as they are deployed. A git checkout has no file modes (a key there is
 * 0644, the umask's), so a copy outside the work tree would otherwise be a key every local user can read (CD121).
 */
export function deployKeys(dir: string): void {
  for (const d of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (d.isFile() && d.name.endsWith(".key")) chmodSync(path.join(d.parentPath, d.name), 0o600);
}
