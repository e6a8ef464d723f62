import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { explain, innerMessage, similarity } from "../../src/explain/explain.js";
import { unwrap } from "../../src/explain/unwrap.js";
import { MESSAGES } from "../../src/explain/messages.js";
import { RULES } from "../../rules/index.js";
import { cli } from "../helpers/cli.js";
import { REPO } from "../helpers/fixtures.js";

const METAS = RULES.map((r) => r.meta);
const rulesFor = (text: string) => {
  const e = explain(text, METAS);
  return e.kind === "text" ? e.rules.map((r) => r.meta.id) : [];
};

const SHARED = path.join(REPO, "..", "shared", "docs");
const haveShared = existsSync(path.join(SHARED, "loader-semantics.md"));
if (!haveShared)
  console.log(`explain: ${SHARED} not found (../shared missing); the loader-semantics coverage test is skipped`);

/** Pure wrappers carry no diagnosis: explain says so instead of naming rules. */
const WRAPPERS_ONLY = new Set([
  "Error response from daemon: ",
  "initializing source %s: %w",
  "initializing destination %s: %w",
]);

/** Every error string quoted in loader-semantics.md: code spans and code-block lines that start like an error. */
function loaderSemanticsErrors(): string[] {
  const text = readFileSync(path.join(SHARED, "loader-semantics.md"), "utf8");
  const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  const blocks = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n").map((l) => l.trim()));
  const start =
    /^(x509: |tls: |missing |Missing |unable to |failed to |open |read |invalid |unknown capability|time: |Error response|level=|remote error|certificate required|initializing )/;
  return [...new Set([...spans, ...blocks])].filter((s) => start.test(s)).sort();
}

(haveShared ? describe : describe.skip)("every error string in loader-semantics.md", () => {
  const texts = haveShared ? loaderSemanticsErrors() : [];
  test(`there are many (${texts.length})`, () => {
    expect(texts.length).toBeGreaterThan(60);
  });
  test.each(texts.filter((t) => !WRAPPERS_ONLY.has(t)))("%s → at least one rule", (text) => {
    expect([text, rulesFor(text).length > 0]).toEqual([text, true]);
  });
  test.each([...WRAPPERS_ONLY])("%s is a wrapper: explain says so and asks for the rest", (text) => {
    const e = explain(text, METAS);
    expect(e.kind).toBe("unknown");
  });
});

describe("every rule's own program text leads back to it", () => {
  const sample = (t: string) =>
    t
      .replace(/<c>/g, "client.cert")
      .replace(/<k>/g, "client.key")
      .replace(/<path>/g, "/etc/docker/certs.d/r:5000/ca.crt")
      .replace(/<[a-zA-Z]+>/g, "example");
  const cases = METAS.flatMap((m) =>
    Object.values(m.programText ?? {}).flatMap((t) =>
      t.split(" | ").map((alt) => [m.id, sample(alt)] as [string, string]),
    ),
  );
  test.each(cases)("%s: %s", (id, text) => {
    expect([text, rulesFor(text)]).toEqual([text, expect.arrayContaining([id])]);
  });
});

describe("ranking and wrapping", () => {
  test("a CA saved as ca.cert is the first suspect for missing key ca.key", () => {
    expect(
      rulesFor(
        "Error response from daemon: missing key ca.key for client certificate ca.cert. CA certificates must use the extension .crt",
      )[0],
    ).toBe("CD103");
  });
  test("AppleDouble names point at CD110", () => {
    expect(
      rulesFor(
        "missing key ._client.key for client certificate ._client.cert. CA certificates must use the extension .crt",
      )[0],
    ).toBe("CD110");
  });
  test("every historic wording of the pairing messages is known", () => {
    for (const t of [
      "Missing key client.key for client certificate client.cert. Note that CA certificates should use the extension .crt.",
      "missing key client.key for client certificate client.cert. Note that CA certificates should use the extension .crt",
      "Missing key client.key for certificate client.cert",
      "Missing certificate client.cert for key client.key",
      "Missing client certificate client.cert for key client.key",
    ]) {
      expect([t, rulesFor(t).length > 0]).toEqual([t, true]);
    }
  });
  test("wrappers are peeled: dockerd, skopeo, ctr and logrus", () => {
    expect(
      innerMessage(
        'Error response from daemon: Get "https://r:5000/v2/": x509: certificate signed by unknown authority',
      ),
    ).toBe("x509: certificate signed by unknown authority");
    expect(
      innerMessage(
        'Error parsing image name "docker://localhost:5443/oracle/test:latest": tls: private key does not match public key',
      ),
    ).toBe("tls: private key does not match public key");
    expect(
      innerMessage(
        'ctr: failed to resolve reference "r:5000/a:b": failed to load X509 key pair: tls: failed to parse private key',
      ),
    ).toBe("failed to load X509 key pair: tls: failed to parse private key");
    expect(
      innerMessage(
        'time="2026-11-23T11:40:58Z" level=error msg="failed to decode hosts.toml" error="invalid `host` tree"',
      ),
    ).toBe("failed to decode hosts.toml: invalid `host` tree");
  });
  test("the oracle's printed texts resolve (dockerd, skopeo, ctr)", () => {
    const results = path.join(REPO, "..", "shared", "oracle", "results.md");
    if (!existsSync(results)) return;
    const printed = [...readFileSync(results, "utf8").matchAll(/exit 1: `([^`]+)`/g)].map((m) =>
      m[1]!.replace(/\\\|/g, "|"),
    );
    expect(printed.length).toBeGreaterThan(50);
    const unknown = [...new Set(printed)].filter((t) => explain(t, METAS).kind === "unknown");
    expect(unknown).toEqual([]);
  });
});

describe("rules and unknown text", () => {
  test("a rule by id (any case) or by name", () => {
    for (const q of ["CD301", "cd301", "key-mismatch"])
      expect(explain(q, METAS)).toMatchObject({ kind: "rule", meta: { id: "CD301" } });
  });
  test("unknown text is answered with the closest known texts, or at least what to do", () => {
    const e = explain("tls: failed to find any PEM data in the certificate input file", METAS);
    expect(e.kind === "text" || (e.kind === "unknown" && e.suggestions.length > 0)).toBe(true);
    const nonsense = explain("the registry is sad today", METAS);
    expect(nonsense).toMatchObject({ kind: "unknown", inner: "the registry is sad today" });
  });
  test("causes outside certs.d are named as such, not matched to a rule", () => {
    const e = explain("mirrors cannot be set when config_path is provided", METAS);
    expect(e).toMatchObject({ kind: "text", rules: [] });
  });
  test("every rule id in the message index exists", () => {
    const ids = new Set(METAS.map((m) => m.id));
    expect(MESSAGES.flatMap((m) => m.rules).filter((id) => !ids.has(id))).toEqual([]);
  });
});

test("explain with a rule id that names no rule says so, with the nearest id (exit 1)", () => {
  expect(
    explain(
      "CD999",
      RULES.map((r) => r.meta),
    ),
  ).toEqual({ kind: "no-rule", query: "CD999", closest: "CD109" });
  expect(
    explain(
      "cd3o1",
      RULES.map((r) => r.meta),
    ).kind,
  ).toBe("unknown"); // not id-shaped: searched as a text
});

describe("what users paste from a log: each wrapper form unwrapped to the Go error, registry and image kept", () => {
  const X509 = "x509: certificate signed by unknown authority";
  const cases: Array<[string, string, string, string | null, string | null]> = [
    [
      "podman pull",
      'Error: initializing source docker://myreg.example.com:5000/alpine:latest: pinging container registry myreg.example.com:5000: Get "https://myreg.example.com:5000/v2/": x509: certificate signed by unknown authority',
      "podman",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "podman pull, progress line and retry notice pasted with it",
      'Trying to pull myreg.example.com:5000/alpine:latest...\nWARN[0000] Failed, retrying in 1s ... (1/3). Error: initializing source docker://myreg.example.com:5000/alpine:latest: pinging container registry myreg.example.com:5000: Get "https://myreg.example.com:5000/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
      "podman",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "skopeo inspect (logrus text formatter)",
      'FATA[0000] Error parsing image name "docker://myreg.example.com:5000/alpine:latest": pinging container registry myreg.example.com:5000: Get "https://myreg.example.com:5000/v2/": x509: certificate signed by unknown authority',
      "podman",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "buildah from",
      'Error: creating build container: initializing source docker://myreg.example.com:5000/alpine:latest: pinging container registry myreg.example.com:5000: Get "https://myreg.example.com:5000/v2/": x509: certificate signed by unknown authority',
      "podman",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "docker pull (CLI)",
      'Error response from daemon: Get "https://myreg.example.com:5000/v2/": x509: certificate signed by unknown authority',
      "docker",
      "myreg.example.com:5000",
      null,
    ],
    [
      "dockerd's logrus line, whole",
      'time="2026-12-03T16:05:33.123456789Z" level=error msg="Handler for POST /v1.43/images/create returned error: Get \\"https://myreg.example.com:5000/v2/\\": x509: certificate signed by unknown authority"',
      "logrus",
      "myreg.example.com:5000",
      null,
    ],
    [
      "dockerd's logrus line, cut off inside msg",
      'time="2026-12-03T16:05:33.123456789Z" level=error msg="Handler for POST /v1.43/images/create returned error: Get \\"https://myreg.example.com:5000/v2/\\": x509: certificate signed by unknown auth',
      "logrus",
      "myreg.example.com:5000",
      null,
    ],
    [
      "kubelet / CRI klog line, whole",
      'E1203 16:05:33.123456    1234 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"myreg.example.com:5000/alpine:latest\\": failed to resolve reference \\"myreg.example.com:5000/alpine:latest\\": failed to do request: Head \\"https://myreg.example.com:5000/v2/alpine/manifests/latest\\": tls: failed to verify certificate: x509: certificate signed by unknown authority" image="myreg.example.com:5000/alpine:latest"',
      "klog",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "kubelet / CRI klog line, cut off inside err",
      'E1203 16:05:33.123456    1234 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"myreg.example.com:5000/alpine:latest\\": failed to resolve reference \\"myreg.example.com:5000/alpine:latest\\": failed to do request: Head \\"https://myreg.example.com:5000/v2/alpine/manifests/latest\\": x509: certificate signed by unknown autho',
      "klog",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "containerd's logrus line",
      'time="2026-12-03T16:05:33.123456789Z" level=error msg="PullImage \\"myreg.example.com:5000/alpine:latest\\" failed" error="failed to pull and unpack image \\"myreg.example.com:5000/alpine:latest\\": failed to resolve reference \\"myreg.example.com:5000/alpine:latest\\": failed to do request: Head \\"https://myreg.example.com:5000/v2/alpine/manifests/latest\\": x509: certificate signed by unknown authority"',
      "logrus",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "kubectl describe pod event",
      'Failed to pull image "myreg.example.com:5000/alpine:latest": rpc error: code = Unknown desc = failed to pull and unpack image "myreg.example.com:5000/alpine:latest": failed to resolve reference "myreg.example.com:5000/alpine:latest": failed to do request: Head "https://myreg.example.com:5000/v2/alpine/manifests/latest": x509: certificate signed by unknown authority',
      "kubelet",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "ctr pull",
      'ctr: failed to resolve reference "myreg.example.com:5000/alpine:latest": failed to do request: Head "https://myreg.example.com:5000/v2/alpine/manifests/latest": x509: certificate signed by unknown authority',
      "ctr",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
    [
      "crictl pull",
      'FATA[0000] pulling image: rpc error: code = Unknown desc = failed to pull and unpack image "myreg.example.com:5000/alpine:latest": failed to resolve reference "myreg.example.com:5000/alpine:latest": failed to do request: Head "https://myreg.example.com:5000/v2/alpine/manifests/latest": x509: certificate signed by unknown authority',
      "crictl",
      "myreg.example.com:5000",
      "myreg.example.com:5000/alpine:latest",
    ],
  ];
  test.each(cases)("%s", (_, line, source, registry, reference) => {
    const u = unwrap(line);
    expect(X509.startsWith(u.inner)).toBe(true);
    expect(u.inner.length).toBeGreaterThan(30);
    expect({ source: u.source, registry: u.registry, reference: u.reference }).toEqual({ source, registry, reference });
    const e = explain(line, METAS);
    expect(e).toMatchObject({ kind: "text", inner: u.inner, registry, reference });
    expect(rulesFor(line).slice(0, 3)).toEqual(["CD201", "CD106", "CD105"]);
  });
  test("a cut logrus line keeps what it has (no stray quote or truncated word)", () => {
    expect(
      innerMessage(
        'level=error msg="Handler for POST /v1.43/images/create returned error: Get \\"https://r:5000/v2/\\": x509: certificate has expired or is no',
      ),
    ).toBe("x509: certificate has expired or is no");
    expect(
      rulesFor(
        'level=error msg="Handler for POST /v1.43/images/create returned error: Get \\"https://r:5000/v2/\\": x509: certificate has expired or is no',
      )[0],
    ).toMatch(/^CD40[123]$/);
  });
});

describe("unknown capability referrers", () => {
  test("says which containerd release knows it (v2.2.0, containerd commit b668614b)", () => {
    const e = explain(
      'time="2026-12-03T16:05:33Z" level=error msg="failed to decode hosts.toml" error="unknown capability referrers"',
      METAS,
    );
    expect(e.kind).toBe("text");
    if (e.kind !== "text") return;
    expect(e.inner).toBe("failed to decode hosts.toml: unknown capability referrers");
    expect(e.meanings[0]).toMatch(/needs containerd ≥ 2\.2\.0/);
    expect(e.rules[0]!.meta.id).toBe("CD501");
    expect(e.checks.join(" ")).toMatch(/below v2\.2\.0, remove "referrers"/);
  });
  test("another unknown capability gets the general hosts.toml meaning only", () => {
    const e = explain("unknown capability fetch", METAS);
    expect(e.kind === "text" && e.meanings.some((m) => m.includes("2.2.0"))).toBe(false);
  });
});

describe("ranking a text many rules explain", () => {
  test("x509 unknown authority: every rule ranked, scores falling, rank and a check on each", () => {
    const e = explain("x509: certificate signed by unknown authority", METAS);
    if (e.kind !== "text") throw new Error(e.kind);
    expect(e.rules.length).toBeGreaterThanOrEqual(12);
    expect(e.rules.map((r) => r.rank)).toEqual(e.rules.map((_, i) => i + 1));
    const scores = e.rules.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const r of e.rules) expect(r.check.length).toBeGreaterThan(10);
    // The three with field reports (field-failures.md C37/C38/C42, C29/C33/C34, C01/C02/C07) come first.
    expect(e.rules.slice(0, 3).map((r) => r.meta.id)).toEqual(["CD201", "CD106", "CD105"]);
  });
  test("a rule whose declared program text is the whole message outranks the generic unknown-authority rules", () => {
    const text =
      'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "Example Registry CA")';
    expect(rulesFor(text)[0]).toBe("CD411");
    const sha1 =
      'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "Old CA")';
    expect(rulesFor(sha1)[0]).toBe("CD407");
  });
});

describe("unknown text: the closest known texts by word overlap (Sørensen–Dice)", () => {
  test("similarity is 2|A∩B|/(|A|+|B|) over words, placeholders and stop words left out", () => {
    expect(similarity("tls: failed to parse private key", "tls: failed to parse private key")).toBe(1);
    // {tls, foo, pem, data} vs {tls, failed, find, any, pem, data, key, input}: 3 shared.
    expect(similarity("tls: foo pem data", "tls: failed to find any PEM data in key input")).toBeCloseTo(6 / 12);
    // {missing, key} vs {missing, key, client}: words are sets, client.key gives "client" and "key".
    expect(similarity("missing key <k>", "missing key client.key")).toBeCloseTo((2 * 2) / (2 + 3));
    expect(similarity("the registry is sad", "x509: negative serial number")).toBe(0);
  });
  test("top 3, most similar first, each with its rule ids", () => {
    const e = explain("tls: could not find the PEM data in certificate input file", METAS);
    expect(e.kind).toBe("unknown");
    if (e.kind !== "unknown") return;
    expect(e.suggestions).toHaveLength(3);
    const sims = e.suggestions.map((s) => s.similarity!);
    expect([...sims].sort((a, b) => b - a)).toEqual(sims);
    expect(e.suggestions[0]).toMatchObject({ text: "tls: failed to find any PEM data in certificate input" });
    for (const s of e.suggestions) expect(s.rules.length).toBeGreaterThan(0);
  });
  test("nothing in common: no suggestions, rather than unrelated ones", () => {
    const e = explain("the registry is sad today", METAS);
    expect(e).toMatchObject({ kind: "unknown", suggestions: [] });
  });
});

test("the oracle's whole stderr lines (dockerd 20.10.24, skopeo 1.9.3 logrus, ctr 1.6.20): none unknown, registry right", () => {
  const file = path.join(REPO, "..", "shared", "oracle", "results.jsonl");
  if (!existsSync(file)) return console.log(`explain: ${file} not found; the real-stderr replay is skipped`);
  const rows = readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { client: string; ref: string; exit: number; stderr: string });
  const lines = rows
    .filter((r) => r.exit !== 0 && r.stderr.trim())
    .map((r) => ({ ...r, line: r.stderr.trim().split("\n").pop()! }));
  expect(lines.length).toBeGreaterThan(200);
  expect(new Set(lines.map((l) => l.client.replace(/-.*/, "")))).toEqual(new Set(["dockerd", "ctr", "skopeo"]));
  const unknown = lines.filter((l) => explain(l.line, METAS).kind === "unknown").map((l) => l.line);
  expect(unknown).toEqual([]);
  const named = lines.map((l) => ({ l, u: unwrap(l.line) })).filter((x) => x.u.registry !== null);
  expect(named.length).toBeGreaterThan(150);
  expect(named.filter((x) => x.u.registry !== x.l.ref.split("/")[0]).map((x) => x.l.line)).toEqual([]);
  // skopeo prints through logrus: level=fatal msg="Error parsing image name \"docker://…\": …" is unwrapped too.
  const skopeo = named.find((x) => x.l.client.startsWith("skopeo") && x.l.line.includes("level=fatal"))!;
  expect(skopeo.u.inner).not.toMatch(/level=|msg=|Error parsing/);
});

describe("the where answer for the registry a pasted error names (issue 13)", () => {
  const SYS = path.join(REPO, "fixtures", "sysroots", "where-config");
  const LINE =
    'Error response from daemon: Get "https://myreg:5000/v2/": x509: certificate signed by unknown authority';

  test("--sysroot: one line per runtime, the directory it reads and whether it exists, or why none; 80 columns", () => {
    const r = cli(["explain", LINE, "--sysroot", "fixtures/sysroots/where-config"], { env: { HOME: "/home/u" } });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    const at = lines.indexOf("Directories read for myreg:5000 (the sysroot's configuration):");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 7)).toEqual([
      "  Docker: reads /etc/docker/certs.d/myreg:5000 (exists)",
      "  Docker's containerd store: reads /etc/docker/certs.d/myreg:5000 (exists)",
      "  containerd: none: CRI pulls go through the transfer service, which takes the",
      "      config_path list as one directory: no host directory is read",
      "      (containerd#12808)",
      "  podman: reads /etc/docker/certs.d/myreg:5000 (exists)",
    ]);
    expect(lines[at + 7]).toBe("  certsd-lint where myreg:5000 --sysroot fixtures/sysroots/where-config shows");
    expect(lines[at + 8]).toBe("    every candidate and why.");
    for (const l of lines.slice(at, at + 9)) expect(l.length).toBeLessThanOrEqual(80);
  });

  test("a name the sysroot maps to loopback: classic's reason, and the image's mirrors", () => {
    const r = cli(
      [
        "explain",
        'Error response from daemon: Get "https://devreg.local:5000/v2/": remote error: tls: certificate required',
        "--sysroot",
        SYS,
      ],
      { env: { HOME: "/home/u" } },
    );
    expect(r.stdout).toContain(
      "  Docker: none: devreg.local resolves to 127.0.0.1 (the sysroot's /etc/hosts),\n      in 127.0.0.0/8,",
    );
    expect(r.stdout).toContain("  podman: reads /etc/docker/certs.d/devreg.local:5000 (exists)\n");
  });

  test("without --host or --sysroot: the built-in rules (here on one --root), no configuration read", () => {
    const r = cli(["explain", LINE, "--root", "fixtures/sysroots/where-config/etc/docker/certs.d"]);
    expect(r.stdout).toContain("Directories read for myreg:5000 (built-in rules only; see --host):\n");
    expect(r.stdout).toContain("  Docker: reads\n");
    expect(r.stdout).toContain("/where-config/etc/docker/certs.d/myreg:5000\n      (exists)\n");
    expect(r.stdout).toContain(
      "  certsd-lint where myreg:5000 --root\n    fixtures/sysroots/where-config/etc/docker/certs.d shows",
    );
  });

  test("JSON gains a where object: the runtimes' answers, and the options to repeat", () => {
    const r = cli(["explain", "--format", "json", LINE, "--sysroot", SYS], { env: { HOME: "/home/u" } });
    const j = JSON.parse(r.stdout) as {
      registry: string;
      where: {
        target: string;
        host: string;
        source: string;
        flags: string[];
        runtimes: Array<{ runtime: string; status: string }>;
      };
    };
    expect(j.registry).toBe("myreg:5000");
    expect(j.where).toMatchObject({
      target: "myreg:5000",
      host: "myreg:5000",
      source: "sysroot",
      flags: ["--sysroot", SYS],
    });
    expect(j.where.runtimes.map((a) => [a.runtime, a.status])).toEqual([
      ["docker", "reads"],
      ["docker-containerd", "reads"],
      ["containerd", "skipped"],
      ["podman", "reads"],
    ]);
  });

  test("text naming no registry: no where block; a sysroot that is not a directory: exit 2, one line", () => {
    expect(cli(["explain", "x509: certificate signed by unknown authority"]).stdout).not.toContain("Directories read");
    expect(cli(["explain", LINE, "--sysroot", "/nonexistent-sysroot"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "certsd-lint: explain: --sysroot /nonexistent-sysroot: not a directory\n",
    });
  });
});

test("the README's explain example: its lines are what the command prints, in order (… stands for lines left out)", () => {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const m =
    /<!-- snippet: explain-where -->\n {3}```console\n {3}\$ certsd-lint explain '([^']+)' (--sysroot \S+)\n([\s\S]*?) {3}```/.exec(
      readme,
    );
  expect(m).not.toBeNull();
  const r = cli(["explain", m![1]!, ...m![2]!.split(" ")], { env: { HOME: "/home/u" } });
  expect(r.code).toBe(0);
  const out = r.stdout.split("\n");
  let at = 0;
  for (const line of m![3]!
    .split("\n")
    .map((l) => l.slice(3))
    .filter((l) => l !== "" && l.trim() !== "…")) {
    const i = out.indexOf(line, at);
    expect([line, i >= at]).toEqual([line, true]);
    at = i + 1;
  }
});

test("a registry without a dot or port: the where command shown is its URL (`where myreg` would be a Docker Hub image)", () => {
  const r = cli([
    "explain",
    'Get "https://myreg/v2/": x509: certificate signed by unknown authority',
    "--root",
    "/nonexistent",
  ]);
  expect(r.stdout).toContain("Directories read for myreg (built-in rules only; see --host):\n");
  expect(r.stdout).toContain("  certsd-lint where https://myreg/ --root /nonexistent shows every candidate and\n");
});
