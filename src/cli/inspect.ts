/** `certsd-lint inspect FILE… [--go V] [--key FILE] [--format text|json]`: what Go sees in each file. */
import { readFileSync } from "node:fs";
import type { GoProfile } from "../material/go-profile.js";
import { type InspectInput, inspectFiles } from "../inspect/inspect.js";
import { renderInspect } from "../inspect/render.js";

function read(path: string): InspectInput | string {
  try {
    return { path, data: readFileSync(path) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `inspect: cannot read ${path}: ${err.code ?? err.message}`;
  }
}

/** Exit 0 when every file was read; 2 (one line on stderr) when one could not be. */
export function runInspect(o: { files: string[]; go: GoProfile; key?: string; format: "text" | "json" }): number {
  const inputs: InspectInput[] = [];
  for (const f of o.key !== undefined ? [...o.files, o.key] : o.files) {
    const r = read(f);
    if (typeof r === "string") {
      process.stderr.write(`certsd-lint: ${r}\n`);
      return 2;
    }
    inputs.push(r);
  }
  const keyFile = o.key !== undefined ? inputs.pop() : undefined;
  const report = inspectFiles(inputs, o.go, keyFile);
  process.stdout.write(o.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderInspect(report));
  return 0;
}
