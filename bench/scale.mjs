// Throughput and memory at scale: wall time and peak RSS of one CLI run (JSON report to /dev/null) on
//   the bundled examples (11 host directories), the examples with SARIF and JUnit files as well,
//   1 000 host directories (copies of a healthy one and, one in ten, a broken one), and
//   one host directory with 100 000 entries.
// Peak RSS is the process's own maxRSS (getrusage), read by a preloaded hook at exit; it includes Node itself,
// so `node -e 0` is shown for reference. Usage: npm run bench:scale
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(repo, "dist", "src", "cli", "main.js");
const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-bench-"));
const NOW = "2026-11-23T00:00:00Z";
const hook = path.join(tmp, "rss.cjs");
const rssFile = path.join(tmp, "rss.txt");
writeFileSync(
  hook,
  `process.on("exit", () => require("node:fs").writeFileSync(process.env.RSS_OUT, String(process.resourceUsage().maxRSS)));\n`,
);

function run(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", hook, ...args], {
    stdio: "ignore",
    cwd: repo,
    env: { ...process.env, RSS_OUT: rssFile },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")}: exit ${r.status}`);
  return { ms, mib: Number(readFileSync(rssFile, "utf8")) / 1024 };
}

function build() {
  const good = path.join(repo, "fixtures", "cases", "good", "registry.example.com:5000");
  const bad = path.join(repo, "fixtures", "cases", "key-mismatch", "registry.example.com:5000");
  const many = path.join(tmp, "many", "certs.d");
  for (let i = 0; i < 1000; i++)
    cpSync(i % 10 === 0 ? bad : good, path.join(many, `reg${String(i).padStart(4, "0")}.example.com:5000`), {
      recursive: true,
    });
  const wide = path.join(tmp, "wide", "certs.d", "registry.example.com:5000");
  mkdirSync(wide, { recursive: true });
  cpSync(path.join(good, "ca.crt"), path.join(wide, "ca.crt"));
  for (let i = 0; i < 100_000; i++) writeFileSync(path.join(wide, `n${String(i).padStart(6, "0")}`), "");
  return { many, wide: path.dirname(wide) };
}

try {
  const { many, wide } = build();
  const rows = [
    ["node -e 0", ["-e", "0"]],
    ["examples (11 hosts), json", [cli, "--now", NOW, "--format", "json", "examples/certs.d"]],
    [
      "examples, json + sarif + junit files",
      [
        cli,
        "--now",
        NOW,
        "--format",
        "json",
        "--format",
        `sarif=${tmp}/x.sarif`,
        "--format",
        `junit=${tmp}/x.xml`,
        "examples/certs.d",
      ],
    ],
    ["1 000 host directories, json", [cli, "--now", NOW, "--format", "json", many]],
    ["100 000 entries in one host, json", [cli, "--now", NOW, "--format", "json", wide]],
  ];
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs; median of 3 runs after a warm-up: wall ms, peak RSS MiB`,
  );
  for (const [label, args] of rows) {
    run(args);
    const xs = [run(args), run(args), run(args)].sort((a, b) => a.ms - b.ms);
    const m = xs[1];
    console.log(`${label.padEnd(40)} ${m.ms.toFixed(0).padStart(7)} ms ${m.mib.toFixed(0).padStart(6)} MiB`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
