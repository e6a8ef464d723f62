/**
 * Trees made by hand the way users make them, with the openssl command line (not the fixture generator): the advice
 * must be right for what openssl really produces. The clock is the certificate's own notBefore plus an hour.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { lintPaths } from "../helpers/rule-tester.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-user-made-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const openssl = (args: string[], cwd: string) =>
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });

/** An hour into the certificate's validity, as openssl reports it. */
function clockOf(cert: string, cwd: string): Date {
  const out = openssl(["x509", "-in", cert, "-noout", "-startdate"], cwd).toString();
  return new Date(new Date(out.replace(/^notBefore=/, "").trim()).getTime() + 3600_000);
}

test("a registry reached by IP address, its CN-only certificate pinned: the fix is an IP SAN, not a DNS one", () => {
  const host = path.join(tmp, "certs.d", "10.0.0.5:5000");
  mkdirSync(host, { recursive: true });
  // The self-signed server certificate of the registry, made from a request as many guides do, copied as ca.crt.
  openssl(["genrsa", "-out", "domain.key", "2048"], tmp);
  openssl(["req", "-new", "-key", "domain.key", "-subj", "/CN=10.0.0.5", "-out", "domain.csr"], tmp);
  openssl(
    ["x509", "-req", "-in", "domain.csr", "-signkey", "domain.key", "-days", "365", "-out", path.join(host, "ca.crt")],
    tmp,
  );
  const findings = lintPaths([path.join(tmp, "certs.d")], { now: clockOf(path.join(host, "ca.crt"), tmp) }).findings;
  const cd405 = findings.filter((f) => f.ruleId === "CD405");
  expect(cd405).toHaveLength(1);
  expect(cd405[0]!.runtimeErrors.docker).toBe("x509: certificate relies on legacy Common Name field, use SANs instead");
  expect(cd405[0]!.messageId).toBe("legacy-common-name");
  expect(cd405[0]!.fix?.text).toContain("subjectAltName = IP:10.0.0.5");
  expect(cd405[0]!.message).not.toContain("DNS:10.0.0.5");
});

test("a PKCS#12 client.p12 beside ca.crt: said to be PKCS#12, an error (the only client material), and the printed split works", () => {
  const certs = path.join(tmp, "p12", "certs.d");
  const host = path.join(certs, "registry.example.com:5000");
  mkdirSync(host, { recursive: true });
  const work = path.join(tmp, "p12");
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      path.join(host, "ca.crt"),
      "-subj",
      "/CN=Registry CA",
      "-days",
      "365",
    ],
    work,
  );
  openssl(
    ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=client"],
    work,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "client.csr",
      "-CA",
      path.join(host, "ca.crt"),
      "-CAkey",
      "ca.key",
      "-days",
      "365",
      "-out",
      "client.cert",
    ],
    work,
  );
  // As a Windows or Java user hands it over: one .p12, here with an empty password.
  openssl(
    [
      "pkcs12",
      "-export",
      "-in",
      "client.cert",
      "-inkey",
      "client.key",
      "-out",
      path.join(host, "client.p12"),
      "-passout",
      "pass:",
    ],
    work,
  );
  const now = clockOf(path.join(host, "ca.crt"), work);
  const cd106 = lintPaths([certs], { now }).findings.filter((f) => f.ruleId === "CD106" && f.file === "client.p12");
  expect(cd106).toHaveLength(1);
  expect(cd106[0]!.severity).toBe("error");
  expect(cd106[0]!.message).toContain("a PKCS#12 bundle");
  expect(cd106[0]!.message).not.toContain("no certificate or key");
  // The printed command, run as printed at a terminal (openssl asks for the import password: empty, so Enter).
  const command = /`(openssl pkcs12 -in client\.p12 -clcerts[^`]+)`/.exec(cd106[0]!.message)![1]!;
  execFileSync("sh", ["-c", `(sleep 1; echo; sleep 1; echo) | script -qec '${command}' /dev/null`], {
    cwd: host,
    timeout: 30_000,
  });
  const after = lintPaths([certs], { now });
  expect(after.hosts[0]!.runtimes.docker!.clientPairs).toEqual([["client.cert", "client.key"]]);
  expect(after.findings.filter((f) => f.severity === "error").map((f) => f.ruleId)).toEqual([]);
});
