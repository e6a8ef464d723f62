/**
 * certsd-lint inspect: its JSON validates against schema/inspect.v1.schema.json over every fixture file, it never
 * prints key bytes, the CLI's exit statuses and text output, and the API export. (Agreement with Go itself:
 * test/oracle/inspect-harness.test.ts.)
 */
import { createPrivateKey } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { inspect } from "../../src/api.js";
import { inspectFiles } from "../../src/inspect/inspect.js";
import { goProfile } from "../../src/material/go-profile.js";
import { cli } from "../helpers/cli.js";
import { REPO } from "../helpers/fixtures.js";

const CASES = path.join(REPO, "fixtures", "cases");
const GOOD = path.join(CASES, "good", "registry.example.com:5000");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return filesUnder(p);
    return d.isFile() && statSync(p).size < 4 * 1024 * 1024 ? [p] : [];
  });
}

const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "inspect.v1.schema.json"), "utf8")));

test("every fixture file's inspect JSON validates against the schema, under Go 1.19 and the newest Go", () => {
  const files = filesUnder(CASES).map((p) => ({ path: path.relative(REPO, p), data: readFileSync(p) }));
  expect(files.length).toBeGreaterThan(50);
  for (const go of ["1.19", "1.25"]) {
    const report = JSON.parse(
      JSON.stringify(
        inspectFiles(files, goProfile(go), { path: "client.key", data: readFileSync(path.join(GOOD, "client.key")) }),
      ),
    ) as unknown;
    const ok = validate(report);
    expect(ok ? [] : validate.errors?.slice(0, 5)).toEqual([]);
  }
});

test("the CLI's JSON is the schema's, and says what X509KeyPair returns", () => {
  const r = cli([
    "inspect",
    "--format",
    "json",
    "--go",
    "1.19",
    "--key",
    path.join(GOOD, "client.key"),
    path.join(GOOD, "client.cert"),
  ]);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { pairs: Array<{ ok: boolean; error: string | null }> };
  expect(validate(report)).toBe(true);
  expect(report.pairs).toEqual([expect.objectContaining({ ok: true, error: null, chainLength: 1 })]);
});

test("inspect never prints key bytes (text or JSON), only what the key is", () => {
  for (const name of readdirSync(path.join(REPO, "fixtures", "keys"))) {
    const file = path.join(REPO, "fixtures", "keys", name);
    const pemText = readFileSync(file, "utf8");
    const body = /-----BEGIN [^-]+-----\r?\n([\s\S]*?)-----END/.exec(pemText)![1]!.replace(/\s+/g, "");
    const der = Buffer.from(body, "base64");
    const secrets = [body, der.toString("hex")];
    try {
      const jwk = createPrivateKey(pemText).export({ format: "jwk" });
      for (const v of [jwk.d, jwk.p, jwk.q, jwk.n, jwk.x])
        if (v) secrets.push(v, Buffer.from(v, "base64url").toString("hex"));
    } catch {
      // a key node:crypto cannot read: its DER and base64 are still checked
    }
    for (const format of ["json", "text"]) {
      const r = cli(["inspect", "--format", format, file, "--key", file]);
      expect(r.code).toBe(0);
      const out = r.stdout.replace(/\s+/g, "");
      for (const s of secrets)
        for (let i = 0; i + 24 <= s.length; i += 12) expect(out.includes(s.slice(i, i + 24))).toBe(false);
    }
  }
});

test("text output: blocks, the certificate's fields, the pool and the pair", () => {
  const r = cli(["inspect", "--go", "1.19", path.join(GOOD, "client.cert"), "--key", path.join(GOOD, "client.key")]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("As Go 1.19 sees it");
  expect(r.stdout).toContain('block 0 (line 1): "CERTIFICATE"');
  expect(r.stdout).toContain("subject   CN=fixture-client");
  expect(r.stdout).toContain("AppendCertsFromPEM adds 1 certificate (block 0)");
  expect(r.stdout).toMatch(/tls\.X509KeyPair\(.*client\.cert, .*client\.key\): loads \(chain of 1\)/);
});

test("usage and I/O problems: exit 2 with one line on stderr (a usage error adds where help is)", () => {
  for (const args of [
    ["inspect", "/nonexistent/ca.crt"],
    ["inspect", "--go", "x", path.join(GOOD, "ca.crt")],
    ["inspect"],
  ]) {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^certsd-lint: inspect: /);
    expect(lines.slice(1)).toEqual(lines.length > 1 ? ["Run 'certsd-lint inspect --help' for usage."] : []);
  }
  expect(cli(["inspect", "/nonexistent/ca.crt"]).stderr).toBe(
    "certsd-lint: inspect: cannot read /nonexistent/ca.crt: ENOENT\n",
  );
});

test("the API: inspect() is the CLI's JSON; --go defaults to the newest modelled Go", () => {
  const file = path.join(GOOD, "ca.crt");
  const api = inspect([{ path: file, data: readFileSync(file) }]);
  expect(api.go.toolchain).toBe("1.25");
  expect(JSON.parse(cli(["inspect", "--format", "json", file]).stdout)).toEqual(api);
  expect(() => inspect([], { go: "nope" })).toThrow("inspect: not a Go version: nope");
});
