/** The Go side of the decoder harnesses (test/oracle/godecode), built once per test file into a temporary directory. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { REPO } from "../helpers/fixtures.js";

const HERE = path.join(REPO, "test", "oracle", "godecode");

/** The installed Go's version ("go1.19.8"), or null without Go. */
export function goVersion(): string | null {
  const r = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Builds godecode into `work`; null when Go is not installed. */
export function buildGodecode(work: string): string | null {
  if (!goVersion()) return null;
  const bin = path.join(work, "godecode");
  const env = {
    ...process.env,
    GOCACHE: process.env.GOCACHE ?? path.join(work, "cache"),
    GOPATH: path.join(work, "gopath"),
    GOFLAGS: "-mod=mod",
    GO111MODULE: "on",
  };
  const r = spawnSync("go", ["build", "-o", bin, "."], { cwd: HERE, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`go build failed: ${r.stderr}`);
  return bin;
}
