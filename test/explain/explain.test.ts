import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { explain, innerMessage } from "../../src/explain/explain.js";
import { MESSAGES } from "../../src/explain/messages.js";
import { RULES } from "../../rules/index.js";
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
