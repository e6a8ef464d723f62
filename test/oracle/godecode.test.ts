/**
 * Differential test of the material decoders against Go's own (test/oracle/godecode, built here with the local Go,
 * which is Go 1.19 like the runtimes the oracle runs): every case of godecode-cases.ts goes through
 * - tls.X509KeyPair's key parsing vs parsePrivateKeyAsGo + goPrivateKeyError,
 * - x509.ParseCertificate vs parseCertificateAsGo + goCertificateError (and the fields Go derives),
 * - a pem.Decode loop and AppendCertsFromPEM vs decodeAll and appendCertsFromPem (hand-built PEM and every fixture
 *   *.crt),
 * - tls.X509KeyPair vs x509KeyPair (every fixture *.cert with its *.key, and a few hand-built inputs),
 * under goProfile("1.19"), and every answer must agree.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import os from "node:os";
import path from "node:path";
import { goPrivateKeyError, parsePrivateKeyAsGo } from "../../src/material/go-keys.js";
import { goProfile, type GoProfile } from "../../src/material/go-profile.js";
import { appendCertsFromPem, x509KeyPair } from "../../src/material/go-tls.js";
import { goAcceptedCertificate, goCertificateError, parseCertificateAsGo } from "../../src/material/go-x509.js";
import { decodeMaterial } from "../../src/material/material.js";
import { decodeAll } from "../../src/material/pem.js";
import { REPO } from "../helpers/fixtures.js";
import { type DecodeCase, decodeCases } from "./godecode-cases.js";
import { buildGodecode, goVersion } from "./godecode-build.js";

const work = mkdtempSync(path.join(os.tmpdir(), "certsd-godecode-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bin = buildGodecode(work);
if (!bin)
  console.log(
    "godecode: Go is not installed here (apt-get install golang-go; .ci/run gets it with the oracle); skipped",
  );

const isEqual = (a: unknown, b: unknown) =>
  isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

type Answer = Record<string, unknown> & { id: string; error: string | null };

/** Go's answers for all cases, in one run of the program. */
function runGo(cases: DecodeCase[], binary: string): Map<string, Answer> {
  const input = JSON.stringify(
    cases.map((c) => ({
      id: c.id,
      kind: c.kind,
      hex: Buffer.from(c.bytes).toString("hex"),
      hex2: c.key ? Buffer.from(c.key).toString("hex") : undefined,
    })),
  );
  const r = spawnSync(binary, [], { input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`godecode failed: ${r.stderr}`);
  return new Map((JSON.parse(r.stdout) as Answer[]).map((a) => [a.id, a]));
}

const KEY_TYPES: Record<string, string> = {
  rsa: "*rsa.PrivateKey",
  ecdsa: "*ecdsa.PrivateKey",
  ed25519: "ed25519.PrivateKey",
};

/** Go's time.Time RFC3339Nano rendering of a UTC instant. */
function rfc3339(d: Date): string {
  const iso = d.toISOString(); // ±YYYYYY for years outside 0000–9999 does not occur here
  return iso.replace(/\.000Z$/, "Z").replace(/(\.\d*?)0+Z$/, "$1Z");
}

/** What our decoders say, in the shape godecode prints. */
export function ours(c: DecodeCase, go: GoProfile): Answer {
  switch (c.kind) {
    case "key": {
      const p = parsePrivateKeyAsGo(c.bytes);
      const error = goPrivateKeyError(p, go);
      return error ? { id: c.id, error } : { id: c.id, error: null, type: KEY_TYPES[p.key!.algorithm] };
    }
    case "cert": {
      const parse = parseCertificateAsGo(c.bytes);
      const error = goCertificateError(parse, go);
      if (error) return { id: c.id, error };
      const cert = goAcceptedCertificate(parse, go)!;
      return {
        id: c.id,
        error: null,
        dnsNames: cert.dnsNames,
        emailAddresses: cert.emailAddresses,
        ipAddresses: cert.ipAddresses,
        uris: cert.uris,
        notBefore: rfc3339(cert.notBefore),
        notAfter: rfc3339(cert.notAfter),
        basicConstraintsValid: cert.basicConstraintsValid,
        isCA: cert.isCA,
        maxPathLen: cert.basicConstraintsValid ? cert.maxPathLenExact.toString() : undefined,
        unhandledCritical: cert.unhandledCriticalExtensions,
      };
    }
    case "pair": {
      const r = x509KeyPair(decodeMaterial(c.bytes, go), decodeMaterial(c.key!, go), go);
      return { id: c.id, error: r.ok ? null : r.error };
    }
    case "pem": {
      const blocks = decodeAll(Buffer.from(c.bytes), go).map((b) => ({
        type: Buffer.from(b.typeBytes).toString("hex"),
        headers: Object.fromEntries(b.headers),
        hex: Buffer.from(b.bytes).toString("hex"),
      }));
      return { id: c.id, error: null, blocks, pool: appendCertsFromPem(decodeMaterial(c.bytes, go), go).added.length };
    }
  }
}

/** Go's answer in the same shape (empty lists as Go's omitempty leaves them out; types as hex bytes). */
function normaliseGo(c: DecodeCase, a: Answer): Answer {
  if (c.kind === "cert" && a.error === null) {
    return {
      id: a.id,
      error: null,
      dnsNames: a.dnsNames ?? [],
      emailAddresses: a.emailAddresses ?? [],
      ipAddresses: a.ipAddresses ?? [],
      uris: a.uris ?? [],
      notBefore: a.notBefore,
      notAfter: a.notAfter,
      basicConstraintsValid: a.basicConstraintsValid ?? false,
      isCA: a.isCA ?? false,
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- Go writes maxPathLen as a JSON string (`,string` tag in godecode/main.go), never an object
      maxPathLen: a.maxPathLen === undefined ? undefined : String(a.maxPathLen),
      unhandledCritical: a.unhandledCritical ?? [],
    };
  }
  if (c.kind === "pem") {
    const blocks = ((a.blocks as Array<{ type: string; headers: Record<string, string>; hex: string }>) ?? []).map(
      (b) => ({
        type: b.type,
        headers: b.headers,
        hex: b.hex,
      }),
    );
    return { id: a.id, error: null, blocks, pool: a.pool };
  }
  return a;
}

(bin ? describe : describe.skip)(`the material decoders agree with Go (${goVersion() ?? "no Go"})`, () => {
  const cases = decodeCases(
    path.join(REPO, "fixtures", "keys"),
    Number(process.env.GODECODE_KEY_MUTATIONS ?? 60),
    path.join(REPO, "fixtures", "cases"),
    Number(process.env.GODECODE_CERT_MUTATIONS ?? 40),
  );
  const go = bin ? runGo(cases, bin) : new Map<string, Answer>();
  const profile = goProfile(goVersion()?.replace(/^go/, "") ?? "1.19");

  // GODECODE_REPORT=file writes every case's two answers (for looking at a disagreement, or at what Go said).
  afterAll(() => {
    const rows = cases.map((c) => {
      let mine: Answer;
      try {
        mine = ours(c, profile);
      } catch (e) {
        mine = { id: c.id, error: `THROWN: ${String(e)}` };
      }
      const theirs = go.get(c.id) ? normaliseGo(c, go.get(c.id)!) : null;
      return {
        id: c.id,
        agree: JSON.stringify(mine) === JSON.stringify(theirs) || isEqual(mine, theirs),
        ours: mine,
        go: theirs,
      };
    });
    console.log(`godecode: ${rows.length} cases, ${rows.filter((r) => r.agree).length} agree with ${goVersion()}`);
    if (process.env.GODECODE_REPORT) writeFileSync(process.env.GODECODE_REPORT, JSON.stringify(rows, null, 1));
  });

  test("every case has a Go answer", () => {
    expect(cases.filter((c) => !go.has(c.id))).toEqual([]);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  test.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(ours(c, profile)).toEqual(normaliseGo(c, go.get(c.id)!));
  });
});
