#!/usr/bin/env node
/**
 * certsd-lint's command line. Thin: parses arguments with yargs and hands over to run.ts (lint) or catalogue.ts
 * (rules, explain), imported only when needed: --help, --version, rules and explain never load the crypto libraries.
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

/** A repeatable option's values: absent, once (a string) or several times (a list). */
function list(value: unknown): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

function colorWanted(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  // As Node and kleur read it: set (even empty) forces colour, except "0" and "false".
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== "0" && process.env.FORCE_COLOR !== "false";
  return !!process.stdout.isTTY && process.env.TERM !== "dumb";
}

const COLOR = { type: "boolean", describe: "force colour on (--color) or off (--no-color); default: on for a terminal, unless NO_COLOR is set" } as const;

async function main(): Promise<number> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName("certsd-lint")
    .command(
      "$0 [paths..]",
      "Lints certs.d trees and predicts what each runtime does with them, in its own words.\n" +
        "A path may be a certs root (default /etc/docker/certs.d), one host directory, or files in host directories.",
      (y) =>
        y
          .positional("paths", { describe: "certs roots, host directories or files", type: "string", array: true })
          .option("format", {
            // Not `array: true`: that would swallow the paths after it (--format json certs.d). Repeating the flag gives a list.
            alias: "f",
            type: "string",
            describe: "stylish (default), json, sarif, junit, github, checkstyle or compact; FORMAT=FILE writes a file (repeatable)",
          })
          .option("color", COLOR)
          .option("now", { type: "string", describe: "the date every validity check uses (ISO 8601); default: the current time" })
          .option("expiry-warning-days", { type: "number", describe: "warn about certificates that expire within this many days (default 30)" })
          .option("runtime", {
            type: "string",
            describe: "check these runtimes (comma-separated: docker, docker-containerd, containerd, podman); default: by where each root lives",
          })
          .option("docker-version", { type: "string", describe: "Docker Engine version whose messages and Go build to model (e.g. 29, 28, 23, 20.10; default 29)" })
          .option("containerd-version", { type: "string", describe: "containerd release to model (e.g. 2.2, 2.1, 2.0, 1.7, 1.6; default 2.2)" })
          .option("config", { alias: "c", type: "string", describe: "use this configuration file (--no-config: none; default: .certsd-lint.json/.yaml found from the path upward)" })
          .option("print-config", { type: "boolean", describe: "print the configuration that applies, and exit" })
          .option("rule", { type: "string", describe: "set a rule's severity, winning over the configuration: --rule CD104=off (repeatable)" })
          .option("failure-threshold", { type: "string", describe: "the least severity that fails the run: error (default), warning, info or none" })
          .option("max-warnings", { type: "number", describe: "fail when there are more warnings than this (default: no limit)" })
          .option("allow-empty", { type: "boolean", describe: "finding no host directory is not an error" })
          .option("baseline", { type: "string", describe: "report only findings not recorded in this baseline file" })
          .option("baseline-write", { type: "string", describe: "record the current findings in this file (and exit 0)" }),
    )
    .command("rules", "List every rule: id, name, default severity, runtimes, what it checks", (y) =>
      y.option("format", { alias: "f", choices: ["table", "json", "markdown"] as const, default: "table" as const, describe: "output format" }).option("color", COLOR),
    )
    .command(
      "explain <query..>",
      'Show a rule\'s page (explain CD301), or the rules behind an error a runtime printed (explain "x509: certificate signed by unknown authority")',
      (y) =>
        y
          .positional("query", { describe: "a rule id or name, or an error text (quote it)", type: "string", array: true })
          .option("format", { alias: "f", choices: ["text", "json"] as const, default: "text" as const, describe: "output format" })
          .option("color", COLOR),
    )
    .example("$0", "lint /etc/docker/certs.d")
    .example("$0 examples/certs.d", "lint every host directory under a certs root")
    .example("$0 /etc/docker/certs.d/myreg:5000", "lint one host directory")
    .example("$0 --format json /etc/docker/certs.d > report.json", "machine-readable report")
    .example("$0 --format stylish --format sarif=reports/certsd.sarif certs.d", "terminal output, and SARIF for code scanning")
    .example("$0 --docker-version 20.10 /etc/docker/certs.d", "quote Docker 20.10's wording")
    .example("$0 --runtime containerd /etc/containerd/certs.d", "what containerd (CRI, ctr, nerdctl) makes of a tree")
    .example('$0 explain "Error response from daemon: missing key ca.key for client certificate ca.cert"', "which rules explain an error")
    .epilog(
      "Exit status: 0 no errors, 1 at least one error finding (explain: the text is unknown), 2 usage or I/O problem.\n" +
        "To lint a directory named rules or explain, give it as ./rules.\nRule documentation: docs/rules.md",
    )
    .version(toolInfo().version)
    .alias("version", "v")
    .alias("help", "h")
    .strict()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => fail(usageMessage(err?.message ?? msg)))
    .parse();

  const command = String(argv._[0] ?? "");
  if (command === "rules") {
    const { runRules } = await import("./catalogue.js");
    return runRules({ format: argv.format as "table" | "json" | "markdown", color: colorWanted(argv.color as boolean | undefined) });
  }
  if (command === "explain") {
    const { runExplain } = await import("./catalogue.js");
    const query = ((argv.query as unknown[] | undefined) ?? []).map(String).join(" ");
    return runExplain({ query, format: argv.format as "text" | "json", color: colorWanted(argv.color as boolean | undefined) });
  }

  const paths = ((argv.paths as unknown[] | undefined) ?? []).map(String);
  let now = new Date();
  if (argv.now !== undefined) {
    now = new Date(String(argv.now));
    if (Number.isNaN(now.getTime())) fail(`--now: not an ISO 8601 date: ${String(argv.now)}`);
  }
  let days: number | undefined;
  if (argv.expiryWarningDays !== undefined) {
    days = Number(argv.expiryWarningDays);
    if (!Number.isInteger(days) || days < 0) fail(`--expiry-warning-days: not a whole number of days: ${String(argv.expiryWarningDays)}`);
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
  const config = argv.config === undefined ? undefined : argv.config === false || (argv.config as unknown) === "false" ? false : String(argv.config);
  const { run } = await import("./run.js");
  return run({
    paths: paths.length ? paths : ["/etc/docker/certs.d"],
    formats: list(argv.format),
    color: colorWanted(argv.color as boolean | undefined),
    now,
    expiryWarningDays: days,
    dockerVersion: argv.dockerVersion === undefined ? undefined : String(argv.dockerVersion),
    containerdVersion: argv.containerdVersion === undefined ? undefined : String(argv.containerdVersion),
    runtimes,
    config,
    printConfig: argv.printConfig === true,
    rules: list(argv.rule),
    failureThreshold: argv.failureThreshold === undefined ? undefined : String(argv.failureThreshold),
    maxWarnings: argv.maxWarnings === undefined ? undefined : Number(argv.maxWarnings),
    allowEmpty: argv.allowEmpty === true,
    baseline: argv.baseline === undefined ? undefined : String(argv.baseline),
    baselineWrite: argv.baselineWrite === undefined ? undefined : String(argv.baselineWrite),
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
