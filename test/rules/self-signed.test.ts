/**
 * Self-signed pairs made the way the Docker docs and registry guides say, with the openssl command line (OpenSSL 3
 * marks each CA:TRUE): advice for what they are, not for a leaked CA. The clock is an hour into their validity.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CASES } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-self-signed-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sh = (command: string, cwd: string) =>
  execFileSync("sh", ["-c", command], { cwd, stdio: ["ignore", "pipe", "pipe"] });

function lintAt(dir: string, cert: string) {
  const start = sh(`openssl x509 -in ${cert} -noout -startdate`, dir)
    .toString()
    .replace(/^notBefore=/, "")
    .trim();
  return lintPaths([path.dirname(dir)], { now: new Date(new Date(start).getTime() + 3600_000) }).findings;
}

function hostDir(name: string): string {
  const dir = path.join(tmp, name, "certs.d", "registry.example.com:5000");
  mkdirSync(dir, { recursive: true });
  return dir;
}

test("the Docker docs' client recipe (RSA 4096, req -new -x509 -text): an info finding, no leaked-CA error", () => {
  const dir = hostDir("docs-rsa");
  sh(
    "openssl genrsa -out client.key 4096 && openssl req -new -x509 -text -key client.key -out client.cert -subj /CN=client",
    dir,
  );
  const f = lintAt(dir, "client.cert");
  expect(f.filter((x) => x.severity === "error").map((x) => x.ruleId)).toEqual([]);
  expect(f.filter((x) => x.ruleId === "CD309")).toEqual([]);
  const cd308 = f.filter((x) => x.ruleId === "CD308");
  expect(cd308.map((x) => [x.severity, x.file])).toEqual([["info", "client.cert"]]);
  expect(cd308[0]!.messageId).toBe("self-signed-client");
  expect(cd308[0]!.why).toContain("self-signed client certificate");
  expect(cd308[0]!.why).toContain("http.tls.clientcas");
});

test("an Ed25519 self-signed pair: not 'the private key of the CA'", () => {
  const dir = hostDir("ed25519");
  sh(
    "openssl genpkey -algorithm ed25519 -out client.key && openssl req -new -x509 -key client.key -out client.cert -subj /CN=client",
    dir,
  );
  const f = lintAt(dir, "client.cert");
  expect(f.filter((x) => x.ruleId === "CD309" || (x.ruleId === "CD308" && x.severity === "error"))).toEqual([]);
});

test("the registry's own self-signed certificate and key copied in as domain.crt + domain.key: one verdict, delete the key", () => {
  const dir = hostDir("registry-pair");
  sh(
    "openssl req -newkey rsa:2048 -nodes -sha256 -keyout domain.key -x509 -days 365 -out domain.crt " +
      "-subj /CN=registry.example.com -addext 'subjectAltName = DNS:registry.example.com'",
    dir,
  );
  const f = lintAt(dir, "domain.crt");
  // Nobody says rename domain.crt to domain.cert (it is no client certificate), nor that a CA key leaked.
  expect(f.filter((x) => x.ruleId === "CD104" || x.ruleId === "CD309")).toEqual([]);
  expect(f.find((x) => x.ruleId === "CD310")).toMatchObject({ file: "domain.key" });
  const cd102 = f.find((x) => x.ruleId === "CD102")!;
  expect(cd102.messageId).toBe("server-key");
  expect(cd102.why).toContain("It is the registry's own private key");
  expect(cd102.fix).toEqual({ text: "Delete it (CD310)." });
  expect(cd102.message).not.toContain("Add the client certificate");
});

test("a real CA's key is still an error: the fixture root CA (keyCertSign) copied in with its key", () => {
  const dir = hostDir("real-ca");
  const pki = path.join(CASES, "ca-key-copied", "registry.example.com:5000");
  sh(`cp ${pki}/ca.crt ${pki}/ca.key .`, dir);
  const f = lintPaths([path.dirname(dir)], { now: new Date("2026-11-23T00:00:00Z") }).findings;
  expect(f.find((x) => x.ruleId === "CD309")).toMatchObject({ severity: "error", file: "ca.key" });
});
