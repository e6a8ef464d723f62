#!/usr/bin/env node
/**
 * certsd-lint's command line. Thin: parses arguments with yargs and hands over to run.ts, which is imported only
 * when there is something to lint, so --help and --version never load the crypto libraries.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { toolInfo } from "../version.js";

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

function fail(message: string): never {
  process.stderr.write(`certsd-lint: ${message}\n`);
  process.exit(EXIT_USAGE);
}

/**
 * yargs' own messages, made one line and readable: "Invalid values:\n  Argument: format, Given: ..." joined, and
 * the camelCase twins yargs lists beside kebab-case names ("such-flag, suchFlag") dropped.
 */
function usageMessage(raw: string): string {
  const oneLine = raw.split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
  const m = /^(Unknown arguments?): (.*)$/.exec(oneLine);
  if (!m) return oneLine;
  const names = m[2]!.split(", ");
  const camel = (n: string) => n.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const kept = names.filter((n) => !names.some((o) => o !== n && camel(o) === n));
  return `${kept.length === 1 ? "Unknown argument" : "Unknown arguments"}: ${kept.map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join(", ")}`;
}

async function main(): Promise<number> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName("certsd-lint")
    .command(
      "$0 [paths..]",
      "Lints certs.d trees and predicts what each runtime does with them, in its own words.\n" +
        "A path may be a certs root (default /etc/docker/certs.d), one host directory, or files in host directories.",
      (y) => y.positional("paths", { describe: "certs roots, host directories or files", type: "string", array: true }),
    )
    .option("format", { alias: "f", choices: ["stylish", "json"] as const, default: "stylish" as const, describe: "output format" })
    .option("color", { type: "boolean", describe: "force colour on (--color) or off (--no-color); default: on for a terminal, unless NO_COLOR is set" })
    .option("now", { type: "string", describe: "the date every validity check uses (ISO 8601); default: the current time" })
    .option("runtime", {
      type: "string",
      describe: "check these runtimes (comma-separated: docker, docker-containerd, containerd, podman); default: by where each root lives",
    })
    .option("docker-version", { type: "string", default: "29", describe: "Docker Engine version whose messages and Go build to model (e.g. 29, 28, 23, 20.10)" })
    .option("containerd-version", { type: "string", default: "2.2", describe: "containerd release to model (e.g. 2.2, 2.1, 2.0, 1.7, 1.6)" })
    .example("$0", "lint /etc/docker/certs.d")
    .example("$0 examples/certs.d", "lint every host directory under a certs root")
    .example("$0 /etc/docker/certs.d/myreg:5000", "lint one host directory")
    .example("$0 --format json /etc/docker/certs.d > report.json", "machine-readable report")
    .example("$0 --docker-version 20.10 /etc/docker/certs.d", "quote Docker 20.10's wording")
    .example("$0 --runtime containerd /etc/containerd/certs.d", "what containerd (CRI, ctr, nerdctl) makes of a tree")
    .epilog("Exit status: 0 no errors, 1 at least one error finding, 2 usage or I/O problem.\nRule documentation: docs/rules/<id>.md")
    .version(toolInfo().version)
    .alias("version", "v")
    .alias("help", "h")
    .strict()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => fail(usageMessage(err?.message ?? msg)))
    .parse();

  const paths = ((argv.paths as unknown[] | undefined) ?? []).map(String);
  let now = new Date();
  if (argv.now !== undefined) {
    now = new Date(argv.now);
    if (Number.isNaN(now.getTime())) fail(`--now: not an ISO 8601 date: ${argv.now}`);
  }
  let runtimes: string[] | null = null;
  if (argv.runtime !== undefined) {
    runtimes = String(argv.runtime)
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    const known = ["docker", "docker-containerd", "containerd", "podman"];
    const unknown = runtimes.filter((r) => !known.includes(r));
    if (unknown.length || !runtimes.length) fail(`--runtime: unknown runtime ${unknown[0] ?? "(none)"}; choose from ${known.join(", ")}`);
  }
  const { run } = await import("./run.js");
  return run({
    paths: paths.length ? paths : ["/etc/docker/certs.d"],
    format: argv.format,
    color: argv.color,
    now,
    dockerVersion: argv.dockerVersion,
    containerdVersion: argv.containerdVersion,
    runtimes,
  });
}

process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? EXIT_OK);
  throw e;
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`certsd-lint: internal error: ${message}\n`);
    if (process.env.CERTSD_LINT_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
