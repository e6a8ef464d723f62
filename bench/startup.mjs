// Cold-start times: `certsd-lint examples/certs.d` and `certsd-lint --help` against `node -e 0`.
// Each command runs 10 times (after one warm-up for the file cache); medians in milliseconds.
// Usage: npm run bench  (or node bench/startup.mjs [runs])
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(repo, "dist", "src", "cli", "main.js");
const runs = Number(process.argv[2] ?? 10);

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: repo, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const commands = [
  ["node -e 0", ["-e", "0"]],
  ["certsd-lint --version", [cli, "--version"]],
  ["certsd-lint --help", [cli, "--help"]],
  ["certsd-lint examples/certs.d", [cli, "--no-color", "examples/certs.d"]],
];
console.log(`node ${process.version}, ${runs} runs each, medians (min-max) in ms`);
for (const [label, args] of commands) {
  time(args);
  const xs = Array.from({ length: runs }, () => time(args));
  console.log(
    `${label.padEnd(32)} ${median(xs).toFixed(0).padStart(5)}  (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`,
  );
}
