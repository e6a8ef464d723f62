import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | null = null;

/**
 * The package's own directory (holding package.json, docs/ and schema/), found by walking up from this module: the
 * same from dist/src (installed) and from src (the tests).
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "certsd-lint")
      return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error("certsd-lint's package.json not found above its modules");
    dir = up;
  }
}

/** The package's name and version, read from package.json (cheap: no dependency is loaded). */
export function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
}
