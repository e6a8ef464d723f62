#!/usr/bin/env node
/**
 * certsd-lint's command line. Thin: parses arguments with yargs and hands over to run.ts (lint) or catalogue.ts
 * (rules, explain), imported only when needed: --help, --version, rules and explain never load the crypto libraries.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { FAILURE_THRESHOLDS, type FailureThreshold } from "../engine/rule.js";
import { FORMAT_NAMES, type FormatName } from "../report/format-names.js";
import { isRuntimeId, RUNTIME_IDS } from "../runtimes/registry.js";
import type { RuntimeId } from "../runtimes/types.js";
import { goProfile, type GoProfile } from "../material/go-profile.js";
import { toolInfo } from "../version.js";
import type { Output } from "./run.js";

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

/** The subcommands; a usage error in one of them names it and points at its --help. */
const SUBCOMMANDS = ["rules", "explain", "inspect", "where"] as const;

/** What a subcommand needs when it is given no positional argument, in the tool's voice. */
const MISSING_ARGUMENT: Record<(typeof SUBCOMMANDS)[number], string> = {
  rules: "takes no argument",
  explain: 'give a rule id (CD301) or an error text (quote it: "x509: …")',
  inspect: "give one or more certificate or key files",
  where: "give an image reference (myreg:5000/team/app:1.0), a registry (myreg:5000) or a login URL",
};

function subcommand(args: readonly string[]): (typeof SUBCOMMANDS)[number] | null {
  const first = args.find((a) => !a.startsWith("-"));
  return (SUBCOMMANDS as readonly string[]).includes(first ?? "") ? (first as (typeof SUBCOMMANDS)[number]) : null;
}

function fail(message: string, command: string | null = null): never {
  process.stderr.write(
    command
      ? `certsd-lint: ${command}: ${message}\nRun 'certsd-lint ${command} --help' for usage.\n`
      : `certsd-lint: ${message}\n`,
  );
  process.exit(EXIT_USAGE);
}

/**
 * yargs' own messages, made one line and readable: "Invalid values:\n  Argument: format, Given: ..." joined, and
 * the camelCase twins yargs lists beside kebab-case names ("such-flag, suchFlag") dropped.
 */
function usageMessage(raw: string, command: string | null = null, args: readonly string[] = []): string {
  const oneLine = raw
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");
  // yargs' choices check: `Invalid values: Argument: format, Given: "yaml", Choices: "table", "json", "markdown"`.
  const choice = /^Invalid values?: Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/.exec(oneLine);
  if (choice) {
    const unquote = (v: string) => v.trim().replace(/^"(.*)"$/, "$1");
    const choices = choice[3]!.split(", ").map(unquote).join(", ");
    return `--${choice[1]} must be one of ${choices} (got ${unquote(choice[2]!)})`;
  }
  if (command && /^Not enough non-option arguments/.test(oneLine))
    return MISSING_ARGUMENT[command as (typeof SUBCOMMANDS)[number]];
  const m = /^(Unknown arguments?): (.*)$/.exec(oneLine);
  if (!m) return oneLine;
  const names = m[2]!.split(", ");
  const camel = (n: string) => n.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const kept = names.filter((n) => !names.some((o) => o !== n && camel(o) === n));
  // A word given as is is an extra positional argument (`rules extra`), not an option.
  const positional = kept.filter((n) => args.includes(n));
  if (positional.length && command)
    return `unexpected argument${positional.length > 1 ? "s" : ""}: ${positional.join(", ")}`;
  return `${kept.length === 1 ? "Unknown argument" : "Unknown arguments"}: ${kept.map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join(", ")}`;
}

/** A repeatable option's values: absent, once (a string) or several times (a list). */
function list(value: unknown): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

// Option parsers (yargs coerce): a bad value throws, and .fail() prints the message as one line with exit 2.

function parseFormats(value: unknown): Output[] {
  const outputs: Output[] = [];
  for (const spec of list(value).length ? list(value) : ["stylish"]) {
    const eq = spec.indexOf("=");
    const name = eq < 0 ? spec : spec.slice(0, eq);
    const file = eq < 0 ? null : spec.slice(eq + 1);
    if (!(FORMAT_NAMES as readonly string[]).includes(name))
      throw new Error(
        `--format: unknown format "${name}"; choose from ${FORMAT_NAMES.join(", ")} (add =FILE to write a file)`,
      );
    if (file === "") throw new Error(`--format ${name}=: give a file name after =`);
    outputs.push({ format: name as FormatName, file });
  }
  const toStdout = outputs.filter((o) => o.file === null);
  if (toStdout.length > 1)
    throw new Error(
      `--format: only one format can go to the terminal (${toStdout.map((o) => o.format).join(", ")}); ` +
        `write the others to files with =FILE`,
    );
  if (toStdout.length === 0) outputs.unshift({ format: "stylish", file: null });
  return outputs;
}

function parseRuntimes(value: unknown): RuntimeId[] {
  const ids = String(value)
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = ids.find((r) => !isRuntimeId(r));
  if (unknown !== undefined || !ids.length)
    throw new Error(`--runtime: unknown runtime ${unknown ?? "(none)"}; choose from ${RUNTIME_IDS.join(", ")}`);
  return ids as RuntimeId[];
}

function parseDate(value: unknown): Date {
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new Error(`--now: not an ISO 8601 date: ${String(value)}`);
  return d;
}

function parseDays(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--expiry-warning-days: not a whole number of days: ${String(value)}`);
  return n;
}

function parseThreshold(value: unknown): FailureThreshold {
  if (!(FAILURE_THRESHOLDS as readonly string[]).includes(String(value)))
    throw new Error(`--failure-threshold: choose from ${FAILURE_THRESHOLDS.join(", ")} (not ${String(value)})`);
  return value as FailureThreshold;
}

function parseMaxWarnings(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < -1) throw new Error("--max-warnings: a whole number, -1 for no limit");
  return n;
}

/** --rule ID=SETTING, repeatable, as a map (the setting itself is checked against the rules once they are loaded). */
function parseRuleSettings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of list(value)) {
    const m = /^([^=]+)=(.*)$/.exec(spec);
    if (!m) throw new Error(`--rule ${spec}: write it as ID=SETTING, e.g. --rule CD104=off`);
    out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

/** The newest Go the profiles model (inspect's default). */
export const NEWEST_MODELLED_GO = "1.25";

function parseGo(value: unknown): GoProfile {
  try {
    return goProfile(String(value));
  } catch {
    throw new Error(`--go: not a Go version: ${String(value)} (write it as 1.19, 1.24.8, go1.25)`);
  }
}

function colorWanted(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  // As Node and kleur read it: set (even empty) forces colour, except "0" and "false".
  if (process.env.FORCE_COLOR !== undefined)
    return process.env.FORCE_COLOR !== "0" && process.env.FORCE_COLOR !== "false";
  return !!process.stdout.isTTY && process.env.TERM !== "dumb";
}

const COLOR = {
  type: "boolean",
  describe: "force colour on (--color) or off (--no-color); default: on for a terminal, unless NO_COLOR is set",
} as const;

async function main(): Promise<number> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName("certsd-lint")
    // The description once, as the usage text: a default command's own description would repeat it under Commands.
    .usage(
      "$0 [paths..]\n\n" +
        "Lints certs.d trees and predicts what each runtime does with them, in its own words.\n" +
        "A path may be a certs root, one host directory, or files in host directories; " +
        "with no path, every certs root on this machine (--host).",
    )
    .command(
      "$0 [paths..]",
      // Hidden from the Commands list: the usage text above says what it does, once.
      false,
      (y) =>
        y
          .positional("paths", { describe: "certs roots, host directories or files", type: "string", array: true })
          .option("format", {
            // Not `array: true`: that would swallow the paths after it (--format json certs.d). Repeating the flag gives a list.
            alias: "f",
            type: "string",
            describe: `${FORMAT_NAMES.join(", ")} (default: stylish); FORMAT=FILE writes a file (repeatable)`,
            coerce: parseFormats,
          })
          .option("color", COLOR)
          .option("quiet", {
            alias: "q",
            type: "boolean",
            describe: "stylish: show only host directories with findings at or above the failure threshold",
          })
          .option("verbose", {
            type: "boolean",
            describe: "stylish: add each finding's why and its rule's name and page",
          })
          .conflicts("quiet", "verbose")
          .option("now", {
            type: "string",
            describe: "the date every validity check uses (ISO 8601); default: the current time",
            coerce: parseDate,
          })
          .option("expiry-warning-days", {
            type: "string",
            describe: "warn about certificates that expire within this many days (default 30)",
            coerce: parseDays,
          })
          .option("runtime", {
            type: "string",
            describe:
              `check these runtimes (comma-separated: ${RUNTIME_IDS.join(", ")}); ` +
              `default: by where each root lives`,
            coerce: parseRuntimes,
          })
          .option("docker-version", {
            type: "string",
            describe: "Docker Engine version whose messages and Go build to model (e.g. 29, 28, 23, 20.10; default 29)",
          })
          .option("podman-version", {
            type: "string",
            describe:
              "podman release whose containers/image and Go build to model for podman, skopeo and buildah (e.g. 5, 4.9, 4.3; default 5)",
          })
          .option("containerd-version", {
            type: "string",
            describe: "containerd release to model (e.g. 2.2, 2.1, 2.0, 1.7, 1.6; default 2.2)",
          })
          .option("config", {
            alias: "c",
            type: "string",
            describe:
              "use this configuration file (--no-config: none; " +
              "default: .certsd-lint.json/.yaml found from the path upward)",
          })
          .option("print-config", { type: "boolean", describe: "print the configuration that applies, and exit" })
          .option("rule", {
            type: "string",
            describe: "set a rule's severity, winning over the configuration: --rule CD104=off (repeatable)",
            coerce: parseRuleSettings,
          })
          .option("failure-threshold", {
            type: "string",
            describe: `the least severity that fails the run: ${FAILURE_THRESHOLDS.join(", ")} (default: error)`,
            coerce: parseThreshold,
          })
          .option("max-warnings", {
            type: "string",
            describe: "fail when there are more warnings than this (default: no limit)",
            coerce: parseMaxWarnings,
          })
          .option("allow-empty", { type: "boolean", describe: "finding no host directory is not an error" })
          .option("baseline", { type: "string", describe: "report only findings not recorded in this baseline file" })
          .option("baseline-write", {
            type: "string",
            describe: "record the current findings in this file (and exit 0)",
          })
          // Host context (issue 13): one block, so it merges beside other options.
          .option("host", {
            type: "boolean",
            describe: "find every certs root on this machine and read daemon.json, config.toml, registries.conf",
          })
          .option("sysroot", {
            type: "string",
            describe: "do --host inside this directory (a mounted image or a repository laid out like /)",
          })
          .option("buildkitd-config", {
            type: "string",
            describe:
              'check this buildkitd.toml: each [registry."host"] key, ca and keypair file, as buildkitd reads them',
          }),
    )
    .command("rules", "List every rule: id, name, default severity, runtimes, what it checks", (y) =>
      y
        .option("format", {
          alias: "f",
          choices: ["table", "json", "markdown"] as const,
          default: "table" as const,
          describe: "output format",
        })
        .option("color", COLOR),
    )
    .command(
      "explain <query..>",
      "Show a rule's page (explain CD301), " +
        'or the rules behind an error a runtime printed (explain "x509: ' +
        'certificate signed by unknown authority")',
      (y) =>
        y
          .positional("query", {
            describe: "a rule id or name, or an error text (quote it)",
            type: "string",
            array: true,
          })
          .option("format", {
            alias: "f",
            choices: ["text", "json"] as const,
            default: "text" as const,
            describe: "output format",
          })
          .option("all", {
            type: "boolean",
            describe: "list every rule behind an error text, not only the 3 most likely (json always has all)",
          })
          .option("color", COLOR)
          // Host context (issue 13): the `where` answer for the registry the text names.
          .option("host", {
            type: "boolean",
            describe: "answer which directory each runtime reads with this machine's configuration",
          })
          .option("sysroot", {
            type: "string",
            describe: "the same inside this directory (an image of another host's /)",
          })
          .option("root", {
            type: "string",
            describe: "ask every runtime about this certs root instead of the conventional ones",
          }),
    )
    .command(
      "inspect <files..>",
      "Show what Go sees in each file: PEM blocks, each certificate's and key's parse, what AppendCertsFromPEM " +
        "adds, and with --key what tls.X509KeyPair returns (never key bytes)",
      (y) =>
        y
          .positional("files", { describe: "certificate, key or bundle files", type: "string", array: true })
          .option("go", {
            type: "string",
            describe: `the Go release to decode as (default ${NEWEST_MODELLED_GO})`,
            default: NEWEST_MODELLED_GO,
            coerce: parseGo,
          })
          .option("key", { type: "string", describe: "a key file: show tls.X509KeyPair(FILE, key) for each file" })
          .option("format", {
            alias: "f",
            choices: ["text", "json"] as const,
            default: "text" as const,
            describe: "output format",
          }),
    )
    .command(
      "where <ref>",
      "Which directory each runtime reads for an image reference (myreg:5000/team/app:1.0), " +
        "a registry (myreg:5000) or a docker login argument (https://myreg:5000/v1/), and whether it exists",
      (y) =>
        y
          .positional("ref", { describe: "an image reference, a registry host[:port] or a login URL", type: "string" })
          .option("format", {
            alias: "f",
            choices: ["text", "json"] as const,
            default: "text" as const,
            describe: "output format (json: schema/where.v1.schema.json)",
          })
          .option("root", {
            type: "string",
            describe: "ask every runtime about this certs root instead of the conventional ones",
          })
          .option("sysroot", {
            type: "string",
            describe:
              "look every absolute path up inside this directory (an image of another host's /), " +
              "and read its daemon.json, config.toml, registries.conf and /etc/hosts",
          })
          // Host context (issue 13).
          .option("host", {
            type: "boolean",
            describe: "read this machine's daemon.json, config.toml and registries.conf, and resolve the name",
          })
          .option("mirror", {
            type: "string",
            describe: "a registry mirror (as in daemon.json or registries.conf), repeatable",
            coerce: list,
          })
          .option("runtime", {
            type: "string",
            describe: `only these runtimes (comma-separated: ${RUNTIME_IDS.join(", ")})`,
            coerce: parseRuntimes,
          })
          .option("docker-version", { type: "string", describe: "Docker Engine version to model (default 29)" })
          .option("containerd-version", { type: "string", describe: "containerd release to model (default 2.2)" })
          .option("podman-version", { type: "string", describe: "podman release to model (default 5)" }),
    )
    .example("$0", "find every certs root on this machine (as --host) and lint each for the runtimes that read it")
    .example("$0 --sysroot ./node-image", "the same inside a node image's file system")
    .example("$0 examples/certs.d", "lint every host directory under a certs root")
    .example("$0 /etc/docker/certs.d/myreg:5000", "lint one host directory")
    .example("$0 --format json /etc/docker/certs.d > report.json", "machine-readable report")
    .example(
      "$0 --format stylish --format sarif=reports/certsd.sarif certs.d",
      "terminal output, and SARIF for code scanning",
    )
    .example("$0 where myreg:5000/team/app:1.0", "the directory each runtime reads for that image")
    .example("$0 --docker-version 20.10 /etc/docker/certs.d", "quote Docker 20.10's wording")
    .example("$0 --runtime containerd /etc/containerd/certs.d", "what containerd (CRI, ctr, nerdctl) makes of a tree")
    .example("$0 inspect --go 1.19 client.cert --key client.key", "what Go 1.19 sees in a client pair")
    .example(
      '$0 explain "Error response from daemon: missing key ca.key for client certificate ca.cert"',
      "which rules explain an error",
    )
    .epilog(
      "Exit status: 0 nothing at the failure threshold; 1 a finding at --failure-threshold or more severe " +
        "(default error; warning or info make those fail too, none never fails), or more warnings than " +
        "--max-warnings; 2 a usage or I/O problem, an invalid configuration, or an internal error. " +
        "With --baseline only findings not in the baseline count; --baseline-write exits 0. " +
        "explain: 1 when the text is unknown or names no rule.\n" +
        "To lint a directory named rules, explain, inspect or where, give it as ./rules.\n" +
        "Rule documentation: docs/rules.md",
    )
    .version(toolInfo().version)
    .alias("version", "v")
    .alias("help", "h")
    .strict()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      const command = subcommand(hideBin(process.argv));
      fail(usageMessage(err?.message ?? msg, command, hideBin(process.argv)), command);
    })
    .parse();

  const command = String(argv._[0] ?? "");
  if (command === "rules") {
    const { runRules } = await import("./catalogue.js");
    return runRules({
      format: argv.format as "table" | "json" | "markdown",
      color: colorWanted(argv.color as boolean | undefined),
    });
  }
  if (command === "explain") {
    const { runExplain } = await import("./catalogue.js");
    const query = ((argv.query as unknown[] | undefined) ?? []).map(String).join(" ");
    return runExplain({
      query,
      format: argv.format as "text" | "json",
      color: colorWanted(argv.color as boolean | undefined),
      all: argv.all === true,
      ...(argv.host === true ? { host: true } : {}),
      ...(argv.sysroot !== undefined ? { sysroot: argv.sysroot as string } : {}),
      ...(argv.root !== undefined ? { root: argv.root as string } : {}),
    });
  }

  if (command === "inspect") {
    const { runInspect } = await import("./inspect.js");
    return runInspect({
      files: ((argv.files as unknown[] | undefined) ?? []).map(String),
      go: argv.go as GoProfile,
      format: argv.format as "text" | "json",
      ...(argv.key !== undefined ? { key: argv.key as string } : {}),
    });
  }

  if (command === "where") {
    const { runWhere } = await import("./where.js");
    return runWhere({
      ref: String(argv.ref),
      format: argv.format as "text" | "json",
      mirrors: (argv.mirror as string[] | undefined) ?? [],
      ...(argv.host === true ? { host: true } : {}),
      ...(argv.root !== undefined ? { root: argv.root as string } : {}),
      ...(argv.sysroot !== undefined ? { sysroot: argv.sysroot as string } : {}),
      ...(argv.runtime !== undefined ? { runtimes: argv.runtime as RuntimeId[] } : {}),
      ...(argv.dockerVersion !== undefined ? { dockerVersion: argv.dockerVersion as string } : {}),
      ...(argv.containerdVersion !== undefined ? { containerdVersion: argv.containerdVersion as string } : {}),
      ...(argv.podmanVersion !== undefined ? { podmanVersion: argv.podmanVersion as string } : {}),
    });
  }

  const paths = ((argv.paths as unknown[] | undefined) ?? []).map(String);
  const config =
    argv.config === undefined
      ? undefined
      : argv.config === false || (argv.config as unknown) === "false"
        ? false
        : (argv.config as string);
  const { run } = await import("./run.js");
  return run({
    paths,
    ...(argv.host === true ? { host: true } : {}),
    ...(argv.sysroot !== undefined ? { sysroot: argv.sysroot as string } : {}),
    ...(argv.buildkitdConfig !== undefined ? { buildkitdConfig: argv.buildkitdConfig as string } : {}),
    outputs: (argv.format as Output[] | undefined) ?? parseFormats(undefined),
    color: colorWanted(argv.color as boolean | undefined),
    verbosity: argv.quiet === true ? "quiet" : argv.verbose === true ? "verbose" : "normal",
    printConfig: argv.printConfig === true,
    ruleSettings: (argv.rule as Record<string, string> | undefined) ?? {},
    allowEmpty: argv.allowEmpty === true,
    baseline: argv.baseline === undefined ? undefined : (argv.baseline as string),
    baselineWrite: argv.baselineWrite === undefined ? undefined : (argv.baselineWrite as string),
    ...(config !== undefined ? { config } : {}),
    ...(argv.now !== undefined ? { now: argv.now as Date } : {}),
    ...(argv.expiryWarningDays !== undefined ? { expiryWarningDays: argv.expiryWarningDays as number } : {}),
    ...(argv.runtime !== undefined ? { runtimes: argv.runtime as RuntimeId[] } : {}),
    ...(argv.dockerVersion !== undefined ? { dockerVersion: argv.dockerVersion as string } : {}),
    ...(argv.containerdVersion !== undefined ? { containerdVersion: argv.containerdVersion as string } : {}),
    ...(argv.podmanVersion !== undefined ? { podmanVersion: argv.podmanVersion as string } : {}),
    ...(argv.failureThreshold !== undefined ? { failureThreshold: argv.failureThreshold as FailureThreshold } : {}),
    ...(argv.maxWarnings !== undefined ? { maxWarnings: argv.maxWarnings as number } : {}),
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
