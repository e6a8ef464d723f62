import path from "node:path";
import type { RuntimeId } from "../../src/runtimes/types.js";
import { RULES } from "../../rules/index.js";
import { caseRoot, CASES, cleanupFixtures } from "../helpers/fixtures.js";
import {
  expectCatches,
  expectCatchesNot,
  type Expected,
  lintPaths,
  type LintSettings,
} from "../helpers/rule-tester.js";

afterAll(cleanupFixtures);

const H = "registry.example.com:5000";
const dir = (id: string, host = H) => path.join(CASES, id, host);
const MISSING_KEY = (k: string, c: string) =>
  `missing key ${k} for client certificate ${c}. CA certificates must use the extension .crt`;
const MISSING_KEY_PODMAN = (k: string, c: string) =>
  `missing key ${k} for client certificate ${c}. Note that CA certificates should use the extension .crt`;
const MISSING_CERT = (c: string, k: string) => `missing client certificate ${c} for key ${k}`;
const CERT_NOT_KEY = "tls: found a certificate rather than a key in the PEM for the private key";
/** The same text from Docker and podman (the raw Go error). */
const classic = (e: string): Partial<Record<RuntimeId, string>> => ({ docker: e, podman: e });
/** The same text from both containerd-based runtimes. */
const ctrd = (e: string): Partial<Record<RuntimeId, string>> => ({ "docker-containerd": e, containerd: e });
/** A Go pair error as all four print it: raw by Docker and podman, wrapped by containerd. */
const pairError = (e: string) => ({ ...classic(e), ...ctrd(`failed to load X509 key pair: ${e}`) });
const ALL: RuntimeId[] = ["docker", "docker-containerd", "containerd", "podman"];

type Row = { fires: Array<[string, Expected[], LintSettings?]>; passes: Array<string | [string, LintSettings]> };

/**
 * For every rule: cases where it fires (with what it must say) and cases where it must stay silent.
 * The meta-test at the end insists that every registered rule appears here with both.
 */
const TABLE: Record<string, Row> = {
  // CD002 and CD003 judge the configuration, not a host directory: test/config/config.test.ts shows them firing.
  // CD000 reports certsd-lint's own failures: test/robustness shows it (and fatal findings of throwing rules).
  CD000: { fires: [], passes: ["good", "key-mismatch"] },
  CD002: { fires: [], passes: ["good", "key-mismatch"] },
  CD003: { fires: [], passes: ["good", "key-mismatch"] },
  CD001: {
    fires: [],
    passes: [
      "good",
      "ca-as-cert",
      "key-mismatch",
      "dangling-crt",
      "host-is-file",
      "toml-ca-missing",
      "toml-client-two-files-as-list",
      "dangling-key",
      "hosts-toml-directory",
      "hosts-toml-empty-directory",
    ],
  },
  CD101: {
    fires: [
      [
        "cert-without-key",
        [
          {
            file: "client.cert",
            severity: "error",
            errors: {
              ...classic(""),
              docker: MISSING_KEY("client.key", "client.cert"),
              podman: MISSING_KEY_PODMAN("client.key", "client.cert"),
              ...ctrd(`failed to load X509 key pair: ${CERT_NOT_KEY}`),
            },
            runtimes: ALL,
            says: "Add the private key as client.key",
          },
        ],
      ],
      [
        "combined-cert-no-key",
        [
          {
            errors: {
              docker: MISSING_KEY("client.key", "client.cert"),
              podman: MISSING_KEY_PODMAN("client.key", "client.cert"),
            },
            runtimes: ["docker", "podman"],
            says: "take the key from client.cert itself",
          },
        ],
      ],
      ["order-uppercase-first", [{ file: "a.cert", docker: MISSING_KEY("a.key", "a.cert") }]],
    ],
    passes: [
      "good",
      "ca-as-cert",
      "appledouble",
      "good-two-pairs",
      ["combined-cert-no-key", { runtimes: ["containerd"] }],
    ],
  },
  CD102: {
    fires: [
      [
        "key-without-cert",
        [
          {
            file: "client.key",
            severity: "error",
            errors: classic(MISSING_CERT("client.cert", "client.key")),
            runtimes: ALL,
            says: "containerd ignore it",
          },
        ],
      ],
      [
        "key-without-cert",
        [
          {
            file: "client.key",
            severity: "warning",
            errors: {},
            runtimes: ["containerd"],
            says: "containerd ignores it",
          },
        ],
        { runtimes: ["containerd"] },
      ],
      [
        "ca-key-copied",
        [
          {
            file: "ca.key",
            docker: MISSING_CERT("ca.cert", "ca.key"),
            says: "It is the private key of the CA in ca.crt",
          },
        ],
      ],
      ["order-uppercase-first", [{ file: "B.key", docker: MISSING_CERT("B.cert", "B.key") }]],
    ],
    passes: ["good", "client-as-crt", "good-client-crt-and-cert"],
  },
  CD103: {
    fires: [
      [
        "ca-as-cert",
        [
          {
            file: "ca.cert",
            severity: "error",
            errors: {
              docker: MISSING_KEY("ca.key", "ca.cert"),
              podman: MISSING_KEY_PODMAN("ca.key", "ca.cert"),
              ...ctrd(`failed to load X509 key pair: ${CERT_NOT_KEY}`),
            },
            messageId: "ca-certificate",
            command: "mv ca.cert ca.crt",
          },
        ],
      ],
      ["ca-as-cert-alone", [{ file: "ca.cert" }]],
      ["multi-host", [{ host: "harbor.example.com", file: "ca.cert" }]],
    ],
    passes: ["good", "cert-without-key", "appledouble"],
  },
  CD104: {
    fires: [
      [
        "client-as-crt",
        [
          {
            file: "client.crt",
            severity: "error",
            errors: classic(MISSING_CERT("client.cert", "client.key")),
            runtimes: ALL,
            says: "send no client certificate",
          },
        ],
      ],
    ],
    passes: ["good", "good-client-crt-and-cert", "key-without-cert", "ca-key-copied"],
  },
  CD105: {
    fires: [
      ["host-443", [{ file: null, severity: "warning", says: 'Rename it to "registry.example.com"' }]],
      ["host-443-with-bare", [{ file: null, severity: "info", host: "registry.example.com:443" }]],
    ],
    passes: ["good", "good-host-no-port"],
  },
  CD106: {
    fires: [
      ["ignored-pem", [{ file: "ca.pem", severity: "error", runtimes: ALL, says: "rename it to ca.crt" }]],
      ["ignored-uppercase", [{ file: "ca.CRT", severity: "error", says: "case-sensitively: rename it to ca.crt" }]],
      [
        "ignored-cer-der",
        [{ file: "ca.cer", severity: "error", says: "openssl x509 -inform der -in ca.cer -out ca.crt" }],
      ],
      [
        "ignored-backups",
        [
          { file: "ca.crt.bak", severity: "info", says: "backup copy" },
          { file: "ca.crt~", severity: "info", says: "backup copy" },
        ],
      ],
      [
        "ignored-client-pem",
        [
          { file: "client-key.pem", severity: "error", says: "rename it to client-key.key" },
          { file: "client.pem", severity: "error", says: "rename it to client.cert" },
        ],
      ],
      // hosts.toml names client.pem: the containerd family uses it, the classic loaders do not.
      [
        "toml-client-combined",
        [{ file: "client.pem", runtimes: ["docker", "podman"], says: "Docker and podman read only" }],
      ],
    ],
    passes: [
      "good",
      "good-symlinked-ca",
      "good-with-subdirectory",
      ["toml-client-combined", { runtimes: ["containerd"] }],
    ],
  },
  CD107: {
    fires: [
      [
        "dangling-crt",
        [
          {
            file: "old.crt",
            severity: "error",
            errors: {
              docker: `open ${dir("dangling-crt")}/old.crt: no such file or directory`,
              ...ctrd(
                `unable to read CA cert "${dir("dangling-crt")}/old.crt": open ${dir("dangling-crt")}/old.crt: no such file or directory`,
              ),
            },
            runtimes: ["docker", "docker-containerd", "containerd"],
            says: "podman skips it",
          },
        ],
      ],
      ["symlink-loop", [{ file: "ca.crt", severity: "error", runtimes: ALL, says: "symlink loop" }]],
      [
        "dir-named-crt",
        [{ file: "extra.crt", severity: "error", runtimes: ["docker", "podman"], says: "containerd skip it" }],
      ],
      ["fifo-crt", [{ file: "ca.crt", severity: "error", says: "the pull hangs" }]],
    ],
    passes: [
      // A dangling .key beside its .cert is CD311's.
      "dangling-key",
      "good",
      "good-with-subdirectory",
      "good-symlinked-ca",
    ],
  },
  CD108: {
    fires: [
      [
        "loopback",
        [
          {
            file: null,
            severity: "error",
            runtimes: ["docker"],
            says: "The client certificate here is never sent by dockerd",
          },
        ],
      ],
    ],
    passes: ["good", "docker-hub", ["loopback", { runtimes: ["podman", "containerd"] }]],
  },
  CD109: {
    fires: [
      ["docker-hub", [{ file: null, severity: "warning", runtimes: ["docker"], says: "never reads docker.io" }]],
      ["docker-hub-index", [{ file: null, severity: "error", says: "read by no client" }]],
    ],
    passes: ["good", "loopback", ["docker-hub", { runtimes: ["containerd", "podman"] }]],
  },
  CD110: {
    fires: [
      [
        "appledouble",
        [
          {
            file: "._ca.crt",
            severity: "error",
            errors: ctrd(`unable to load CA cert "${dir("appledouble")}/._ca.crt"`),
            runtimes: ["docker-containerd", "containerd"],
          },
          { file: "._client.cert", severity: "error", docker: MISSING_KEY("._client.key", "._client.cert") },
        ],
      ],
      [
        "appledouble",
        [
          { file: "._ca.crt", severity: "warning", errors: {}, says: "read it and find nothing" },
          { file: "._client.cert", severity: "error" },
        ],
        { runtimes: ["docker", "podman"] },
      ],
    ],
    passes: ["good", "hidden-crt"],
  },
  CD111: {
    fires: [
      [
        "host-is-file",
        [
          {
            file: null,
            severity: "error",
            host: H,
            errors: {
              ...classic(`readdirent ${dir("host-is-file")}: not a directory`),
              ...ctrd(`open ${dir("host-is-file")}/hosts.toml: not a directory`),
            },
            says: "is a file, not a directory",
          },
        ],
      ],
    ],
    passes: ["good", "multi-host"],
  },
  CD112: {
    fires: [
      [
        "host-port-dir",
        [
          {
            file: null,
            severity: "warning",
            runtimes: ["docker", "podman"],
            says: "containerd's spelling of registry.example.com:5000",
          },
        ],
      ],
      [
        "host-port-both",
        [
          { host: H, runtimes: ["docker-containerd", "containerd"], says: "Keep one of them" },
          { host: "registry.example.com_5000_" },
        ],
      ],
      [
        "default-dir",
        [
          {
            file: null,
            severity: "info",
            runtimes: ["docker-containerd", "containerd"],
            says: "every registry without a directory of its own",
          },
        ],
      ],
    ],
    passes: ["good", ["host-port-dir", { runtimes: ["containerd"] }]],
  },
  CD201: {
    fires: [
      [
        "ca-der",
        [
          {
            file: "ca.crt",
            severity: "error",
            errors: ctrd(`unable to load CA cert "${dir("ca-der")}/ca.crt"`),
            runtimes: ALL,
            messageId: "der-certificate",
            says: "DER-encoded",
          },
        ],
      ],
      [
        "ca-der",
        [{ file: "ca.crt", severity: "error", errors: {}, says: "Docker and podman skip it without a word" }],
        { runtimes: ["docker", "podman"] },
      ],
      ["ca-empty", [{ file: "ca.crt", messageId: "empty", says: "the file is empty" }]],
      [
        "ca-pkcs7",
        [
          {
            file: "ca.crt",
            messageId: "pkcs7-block",
            command: "openssl pkcs7 -print_certs -in ca.crt -out ca.crt.pem && mv ca.crt.pem ca.crt",
          },
        ],
      ],
      ["ca-utf16", [{ file: "ca.crt", messageId: "utf16", says: "UTF-16" }]],
      [
        "ca-key-only",
        [{ file: "ca.crt", messageId: "private-key", says: "It holds a private key, not a certificate" }],
      ],
      ["ca-trusted-certificate", [{ file: "ca.crt", messageId: "trusted-certificate", says: "TRUSTED CERTIFICATE" }]],
      ["ca-truncated", [{ file: "ca.crt", messageId: "no-certificate", says: "x509: malformed certificate" }]],
      [
        "ca-garbage-hidden-file",
        [{ file: ".hidden.crt", severity: "warning", says: "another CA file here does load" }],
        { runtimes: ["docker", "podman"] },
      ],
      [
        "ca-garbage-hidden-file",
        [
          {
            file: ".hidden.crt",
            severity: "error",
            errors: ctrd(`unable to load CA cert "${dir("ca-garbage-hidden-file")}/.hidden.crt"`),
          },
        ],
      ],
      ["toml-ca-der", [{ file: "ca.der", runtimes: ["docker-containerd", "containerd"] }]],
    ],
    // Framing (CD207–CD212), headers (CD213) and negative serials (CD409) are owned by their own rules.
    passes: [
      "good",
      "ca-partly-usable",
      "good-ca-with-private-key",
      "appledouble",
      "ca-bom",
      "ca-indented",
      "ca-with-headers",
      "ca-missing-end",
      "ca-bad-base64",
      "ca-negative-serial",
    ],
  },
  CD202: {
    fires: [
      [
        "swapped",
        [
          {
            file: "client.cert",
            errors: pairError(
              "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched",
            ),
            messageId: "switched",
            says: "look switched",
          },
        ],
      ],
      [
        "cert-der",
        [
          {
            file: "client.cert",
            errors: pairError("tls: failed to find any PEM data in certificate input"),
            messageId: "der-certificate",
            command: "openssl x509 -inform der -in client.cert -out client.cert.pem && mv client.cert.pem client.cert",
          },
        ],
      ],
      [
        "cert-pkcs7",
        [
          {
            file: "client.cert",
            docker:
              'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PKCS7]',
          },
        ],
      ],
    ],
    passes: ["good", "cert-with-headers", "toml-client-two-files-as-list", "key-bom"],
  },
  CD203: {
    fires: [
      [
        "key-empty",
        [
          {
            file: "client.key",
            errors: pairError("tls: failed to find any PEM data in key input"),
            messageId: "empty",
            says: "it is empty",
          },
        ],
      ],
      ["key-is-certificate", [{ file: "client.key", messageId: "certificate", errors: pairError(CERT_NOT_KEY) }]],
      [
        "key-is-chain",
        [
          {
            file: "client.key",
            docker:
              'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [CERTIFICATE CERTIFICATE]',
          },
        ],
      ],
    ],
    passes: ["good", "good-key-ec-params", "good-combined-files", "cert-without-key", "key-bom"],
  },
  CD204: {
    fires: [["cert-truncated", [{ file: "client.cert", errors: pairError("x509: malformed certificate") }]]],
    passes: ["good", "ca-negative-serial", "cert-negative-serial"],
  },
  CD113: {
    fires: [
      [
        "backup-still-loaded",
        [
          { file: "client-2023.cert", severity: "warning", runtimes: ALL, says: "the old certificate is the one sent" },
          { file: "old-ca.crt", says: "load it as a CA" },
        ],
      ],
    ],
    passes: ["good", "good-two-pairs", "ignored-backups"],
  },
  CD115: {
    fires: [
      [
        "host-dir-url",
        [
          {
            host: "https:",
            file: null,
            severity: "error",
            runtimes: ALL,
            messageId: "scheme-directory",
            command: "mv registry.example.com:5000 .. && cd .. && rmdir https:",
          },
        ],
      ],
    ],
    passes: ["good", "multi-host"],
  },
  CD116: {
    fires: [
      [
        "host-dir-names",
        [
          {
            host: "Registry.Example.com:5000",
            severity: "warning",
            messageId: "uppercase",
            command: "mv ../Registry.Example.com:5000 ../registry.example.com:5000",
          },
          {
            host: "registry.example.com",
            file: "5000",
            severity: "error",
            messageId: "port-subdirectory",
            command: "mv 5000 ../registry.example.com:5000",
          },
          {
            host: "registry.example.com :5000",
            severity: "error",
            messageId: "whitespace",
            command: "mv ../'registry.example.com :5000' ../registry.example.com:5000",
          },
          // The name without the dot is taken: no command that would move one directory into the other.
          {
            host: "registry.example.com.",
            severity: "error",
            messageId: "trailing-dot",
            says: "invalid reference format",
          },
        ],
      ],
    ],
    passes: ["good", "host-port-dir", "default-dir", "host-dir-url", "loopback", "good-host-no-port"],
  },
  CD117: {
    fires: [
      ["empty-host", [{ file: null, severity: "warning", runtimes: ALL, says: "an empty one hides a populated one" }]],
    ],
    passes: ["good", "good-ca-only", "loopback"],
  },
  CD118: {
    fires: [
      [
        "good-two-pairs",
        [{ file: "a.cert", severity: "warning", runtimes: ALL, says: "in this order: a.cert + a.key, b.cert + b.key" }],
      ],
    ],
    passes: ["good", "good-combined-files", "good-client-crt-and-cert"],
  },
  CD119: {
    fires: [
      ["good-with-subdirectory", [{ file: "notes", severity: "info", says: "notes/ holds ca.crt" }]],
      [
        "nested-host-dir",
        [{ file: "registry.example.com:5000", severity: "warning", messageId: "nested-host-directory", says: "cp -r" }],
      ],
    ],
    passes: ["good", "dir-named-crt", "host-dir-url"],
  },
  CD205: {
    fires: [
      [
        "ca-partly-usable",
        [
          {
            file: "ca.crt",
            severity: "warning",
            runtimes: ALL,
            says: "the PKCS7 block on line 1 (not of type CERTIFICATE)",
          },
        ],
      ],
    ],
    passes: ["good", "good-ca-bundle", "good-ca-with-private-key", "ca-pkcs7", "ca-bundle-one-hidden"],
  },
  CD206: {
    fires: [
      [
        "good-ca-with-private-key",
        [
          {
            file: "ca.crt",
            severity: "warning",
            runtimes: ALL,
            says: 'It is the private key of the CA "CN=certsd-lint Fixture Root CA',
          },
        ],
      ],
    ],
    passes: ["good", "ca-key-only", "ca-key-copied"],
  },
  CD207: {
    fires: [
      [
        "ca-bom",
        [
          {
            file: "ca.crt",
            severity: "error",
            runtimes: ALL,
            errors: ctrd(`unable to load CA cert "${dir("ca-bom")}/ca.crt"`),
            says: "a UTF-8 byte-order mark before its BEGIN line hides it",
          },
        ],
      ],
      [
        "key-bom",
        [{ file: "client.key", severity: "error", errors: pairError("tls: failed to find any PEM data in key input") }],
      ],
    ],
    passes: ["good", "good-ca-crlf", "ca-indented"],
  },
  CD208: {
    fires: [
      [
        "ca-indented",
        [
          {
            file: "ca.crt",
            severity: "error",
            errors: ctrd(`unable to load CA cert "${dir("ca-indented")}/ca.crt"`),
            says: "its BEGIN line is indented",
          },
        ],
      ],
      [
        "ca-bundle-one-hidden",
        [{ file: "ca.crt", severity: "warning", errors: {}, says: "the CERTIFICATE block on line 21" }],
      ],
    ],
    passes: ["good", "ca-bom", "good-ca-with-text"],
  },
  CD209: {
    fires: [
      [
        "ca-end-mismatch",
        [
          {
            file: "ca.crt",
            severity: "error",
            errors: ctrd(`unable to load CA cert "${dir("ca-end-mismatch")}/ca.crt"`),
            says: "its END line names another type",
          },
        ],
      ],
    ],
    passes: ["good", "ca-missing-end"],
  },
  CD210: {
    fires: [["ca-bad-base64", [{ file: "ca.crt", severity: "error", says: "its body is not valid base64" }]]],
    passes: ["good", "ca-truncated"],
  },
  CD211: {
    fires: [["ca-missing-end", [{ file: "ca.crt", severity: "error", says: "it has no matching END line" }]]],
    passes: ["good", "ca-end-mismatch"],
  },
  CD212: {
    fires: [
      [
        "ca-text-on-begin-line",
        [{ file: "ca.crt", severity: "error", says: "text precedes its BEGIN line on the same line" }],
      ],
    ],
    passes: ["good", "good-ca-with-text"],
  },
  CD213: {
    fires: [
      [
        "ca-with-headers",
        [
          {
            file: "ca.crt",
            severity: "error",
            errors: ctrd(`unable to load CA cert "${dir("ca-with-headers")}/ca.crt"`),
            says: "carries PEM headers",
          },
        ],
      ],
    ],
    passes: ["good", "cert-with-headers"],
  },
  CD301: {
    fires: [
      [
        "key-mismatch",
        [
          {
            file: "client.key",
            errors: pairError("tls: private key does not match public key"),
            says: 'not the private key of "CN=fixture-client"',
          },
        ],
      ],
    ],
    passes: [
      "good",
      "good-cert-chain",
      "good-key-ed25519",
      "good-key-p384",
      "key-type-mismatch",
      "leaf-not-first",
      "cert-dsa-public-key",
    ],
  },
  CD302: {
    fires: [
      ["key-openssh", [{ file: "client.key", messageId: "openssh", says: "ssh-keygen -p -m PEM -f client.key" }]],
      ["key-dsa", [{ file: "client.key", messageId: "dsa" }]],
      ["key-rsa-pss", [{ file: "client.key", messageId: "rsa-pss" }]],
      [
        "key-x25519",
        [
          {
            file: "client.key",
            errors: pairError("tls: found unknown private key type in PKCS#8 wrapping"),
            messageId: "key-agreement",
          },
        ],
      ],
      ["key-x448", [{ file: "client.key", docker: "tls: failed to parse private key", messageId: "key-agreement" }]],
      ["key-secp256k1", [{ file: "client.key", messageId: "unsupported-curve" }]],
      ["key-rsa-512", [{ file: "client.key", messageId: "rsa-too-small", says: "512-bit RSA key" }]],
    ],
    passes: [
      "good",
      "good-key-pkcs1",
      "good-key-ec-sec1",
      "good-key-label-mismatch",
      "key-encrypted-pkcs8",
      ["key-rsa-512", { dockerVersion: "28", runtimes: ["docker"] }],
    ],
  },
  CD303: {
    fires: [
      [
        "key-encrypted-pkcs8",
        [
          {
            file: "client.key",
            errors: pairError("tls: failed to parse private key"),
            messageId: "encrypted-pkcs8",
            command:
              "openssl pkey -in client.key -out client.key.plain && chmod 600 client.key.plain && mv client.key.plain client.key",
          },
        ],
      ],
      ["key-encrypted-legacy", [{ file: "client.key", messageId: "encrypted-legacy" }]],
    ],
    passes: ["good", "key-openssh"],
  },
  CD304: {
    fires: [
      [
        "key-type-mismatch",
        [
          {
            file: "client.key",
            errors: pairError("tls: private key type does not match public key type"),
            says: "the certificate's key is RSA, the key in client.key is ECDSA",
          },
        ],
      ],
    ],
    passes: ["good", "key-mismatch", "good-key-ec-sec1"],
  },
  CD305: {
    fires: [
      [
        "leaf-not-first",
        [
          {
            file: "client.cert",
            errors: pairError("tls: private key does not match public key"),
            says: "client.key belongs to certificate 2 in client.cert",
          },
        ],
      ],
    ],
    passes: ["good", "good-cert-chain", "key-mismatch"],
  },
  CD306: {
    fires: [
      [
        "cert-dsa-public-key",
        [{ file: "client.cert", errors: pairError("tls: unknown public key algorithm"), says: "its key is DSA" }],
      ],
    ],
    passes: ["good", "key-dsa"],
  },
  CD307: {
    fires: [
      [
        "client-eku-server-only",
        [
          {
            file: "client.cert",
            severity: "error",
            runtimes: ALL,
            messageId: "client-certificate",
            says: "tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage",
          },
        ],
      ],
      ["server-pair-copied", [{ file: "domain.cert", says: "limited to serverAuth" }]],
    ],
    passes: ["good", "good-key-ed25519", "client-as-crt"],
  },
  CD308: {
    fires: [
      [
        "client-pair-is-ca",
        [
          {
            file: "client.key",
            severity: "error",
            runtimes: ALL,
            messageId: "ca-as-client",
            says: "send the CA itself as the client certificate",
          },
        ],
      ],
    ],
    passes: ["good", "ca-key-copied"],
  },
  CD309: {
    fires: [
      [
        "ca-key-copied",
        [
          {
            file: "ca.key",
            severity: "error",
            says: 'holds the private key of the CA "CN=certsd-lint Fixture Root CA',
          },
        ],
      ],
    ],
    passes: ["good", "good-ca-with-private-key", "client-pair-is-ca", "server-pair-copied"],
  },
  CD310: {
    fires: [["server-pair-copied", [{ file: "domain.key", severity: "warning", says: "the registry's own key" }]]],
    passes: ["good", "client-eku-server-only", "ca-key-copied"],
  },
  // Modes in a git checkout say nothing, so CD121 never fires on the fixtures: see test/rules/unreported.test.ts.
  CD120: { fires: [], passes: ["good", "dangling-key"] },
  CD121: { fires: [], passes: ["good", "dangling-key"] },
  CD311: {
    fires: [
      [
        "dangling-key",
        [
          {
            file: "client.key",
            severity: "error",
            runtimes: ALL,
            errors: {
              ...classic(`open ${dir("dangling-key")}/client.key: no such file or directory`),
              ...ctrd(`failed to load X509 key pair: ${CERT_NOT_KEY}`),
            },
            says: "look for the private key inside client.cert",
          },
        ],
      ],
    ],
    passes: ["good", "dangling-crt", "key-without-cert"],
  },
  CD401: {
    fires: [
      [
        "ca-expired",
        [
          {
            file: "ca.crt",
            severity: "error",
            runtimes: ALL,
            messageId: "ca-expired",
            errors: Object.fromEntries(
              ALL.map((r) => [
                r,
                "x509: certificate has expired or is not yet valid: current time 2026-11-23T00:00:00Z is after 2021-01-01T00:00:00Z",
              ]),
            ),
          },
        ],
      ],
      [
        "client-expired",
        [
          {
            file: "client.cert",
            errors: {},
            messageId: "client-expired",
            says: "tls: failed to verify client certificate: x509: certificate has expired or is not yet valid: current time 2026-11-23T00:00:00Z is after 2021-01-01T00:00:00Z",
          },
        ],
      ],
      ["backup-still-loaded", [{ file: "client-2023.cert", says: "expired on 2025-01-01" }]],
    ],
    passes: ["good", "ca-expiring-soon", "ca-not-yet-valid"],
  },
  CD402: {
    fires: [
      [
        "ca-not-yet-valid",
        [
          {
            file: "ca.crt",
            severity: "error",
            messageId: "ca-not-yet-valid",
            says: "current time 2026-11-23T00:00:00Z is before 2027-01-01T00:00:00Z",
          },
        ],
      ],
    ],
    passes: ["good", "ca-expired"],
  },
  CD403: {
    fires: [
      [
        "ca-expiring-soon",
        [{ file: "ca.crt", severity: "warning", messageId: "ca-expiring", says: "expires on 2026-12-10, in 17 days" }],
      ],
      ["client-expiring-soon", [{ file: "client.cert", messageId: "client-expiring", says: "in 17 days" }]],
    ],
    passes: ["good", "ca-expired"],
  },
  CD404: {
    fires: [
      [
        "ca-not-a-ca",
        [
          {
            file: "ca.crt",
            severity: "error",
            docker:
              'x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "certsd-lint Hand-made CA")',
            messageId: "no-basic-constraints",
          },
        ],
      ],
      ["ca-no-cert-sign", [{ file: "ca.crt", messageId: "no-key-cert-sign" }]],
    ],
    passes: ["good", "pinned-cn-only", "pinned-good", "good-ca-bundle"],
  },
  CD405: {
    fires: [
      [
        "pinned-cn-only",
        [
          {
            file: "ca.crt",
            severity: "error",
            docker: "x509: certificate relies on legacy Common Name field, use SANs instead",
            messageId: "legacy-common-name",
          },
        ],
      ],
      [
        "pinned-wrong-name",
        [
          {
            file: "ca.crt",
            docker: "x509: certificate is valid for registry.internal, registry, not registry.example.com",
            messageId: "other-names",
          },
        ],
      ],
      [
        "pinned-ip",
        [
          {
            file: "ca.crt",
            docker: "x509: cannot validate certificate for 10.0.0.5 because it doesn't contain any IP SANs",
            messageId: "no-ip-sans",
          },
        ],
      ],
    ],
    passes: ["good", "pinned-good", "pinned-issued-leaf", "ca-not-a-ca"],
  },
  CD406: {
    fires: [
      ["pinned-good", [{ file: "ca.crt", severity: "info", says: "only until that certificate is renewed" }]],
      ["pinned-issued-leaf", [{ file: "ca.crt" }]],
    ],
    passes: ["good", "pinned-wrong-name", "ca-not-a-ca"],
  },
  CD407: {
    fires: [
      [
        "client-sha1",
        [
          {
            file: "client.cert",
            severity: "error",
            messageId: "client-certificate",
            says: 'tls: failed to verify client certificate: x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "certsd-lint Fixture Client CA")',
          },
        ],
      ],
      ["ca-sha1", [{ file: "ca.crt", severity: "info", messageId: "ca", says: "its own signature is never checked" }]],
    ],
    passes: ["good", "good-key-ed25519"],
  },
  CD408: {
    fires: [
      ["ca-rsa-1024", [{ file: "ca.crt", severity: "warning", messageId: "ca-key-small", says: "1024-bit RSA key" }]],
      [
        "client-rsa-1024",
        [{ file: "client.cert", severity: "warning", messageId: "client-key-small", says: "1024-bit RSA key" }],
      ],
      [
        "key-rsa-512",
        [{ file: "client.cert", messageId: "client-key-too-small", says: "Go 1.24+ refuse the key" }],
        { dockerVersion: "28", runtimes: ["docker"] },
      ],
    ],
    passes: ["good", "good-key-p384", "key-rsa-512"],
  },
  CD409: {
    fires: [
      [
        "ca-negative-serial",
        [
          {
            file: "ca.crt",
            severity: "error",
            runtimes: ALL,
            errors: ctrd(`unable to load CA cert "${dir("ca-negative-serial")}/ca.crt"`),
            messageId: "ca-negative-serial",
            says: "Docker and podman drop it without a word",
          },
        ],
      ],
      [
        "ca-negative-serial",
        [{ file: "ca.crt", severity: "warning", errors: {}, says: "the upgrade will break it" }],
        { dockerVersion: "28", runtimes: ["docker"] },
      ],
      [
        "cert-negative-serial",
        [
          {
            file: "client.cert",
            severity: "error",
            errors: pairError("x509: negative serial number"),
            messageId: "client-negative-serial",
          },
        ],
      ],
    ],
    passes: ["good", "cert-truncated"],
  },
  CD410: {
    fires: [
      [
        "ca-duplicate",
        [
          {
            file: "root.crt",
            severity: "info",
            messageId: "repeated-across-files",
            says: "already loaded from ca.crt",
          },
        ],
      ],
      ["ca-large-bundle", [{ file: "ca.crt", severity: "info", messageId: "repeated-in-file" }]],
    ],
    passes: ["good", "good-ca-bundle", "ca-same-name-new-key"],
  },
  CD411: {
    fires: [
      [
        "ca-same-name-new-key",
        [
          {
            file: "new-ca.crt",
            severity: "warning",
            says: '"crypto/rsa: verification error" while trying to verify candidate authority certificate "certsd-lint Fixture Root CA"',
          },
        ],
      ],
    ],
    passes: ["good", "ca-duplicate", "ca-expired"],
  },
  CD412: {
    fires: [
      [
        "ca-critical-extension",
        [
          {
            file: "ca.crt",
            severity: "error",
            docker: "x509: unhandled critical extension",
            messageId: "ca",
            says: "1.3.6.1.4.1.99999.1",
          },
        ],
      ],
    ],
    passes: ["good"],
  },
  CD413: {
    fires: [
      [
        "ca-eku-client-only",
        [
          {
            file: "ca.crt",
            severity: "error",
            docker: "x509: certificate specifies an incompatible key usage",
            says: "limits its extended key usage to clientAuth",
          },
        ],
      ],
    ],
    passes: ["good", "pinned-good"],
  },
  CD501: {
    fires: [
      [
        "toml-unknown-capability",
        [
          {
            file: "hosts.toml",
            severity: "error",
            errors: ctrd(
              `level=error msg="failed to decode ${dir("toml-unknown-capability")}/hosts.toml" error="unknown capability fetch"`,
            ),
            messageId: "validation",
            says: "containerd's own error: unknown capability fetch",
          },
        ],
      ],
      // go-toml v2's own text (containerd 2.2 is the default), so verbatim.
      ["toml-syntax-error", [{ file: "hosts.toml", messageId: "toml-syntax", says: "toml: expected character ]" }]],
      ["toml-bad-ca-type", [{ says: 'invalid type 5 for "ca"' }]],
      ["toml-bad-client-pair", [{ says: 'invalid pair [client.cert client.key extra.pem] for "client"' }]],
      ["toml-bad-dial-timeout", [{ says: 'time: unknown unit "x" in duration "5x"' }]],
      [
        "toml-referrers",
        [{ says: "unknown capability referrers" }],
        { containerdVersion: "2.1", runtimes: ["containerd"] },
      ],
      [
        "toml-comment-only",
        [
          {
            file: "hosts.toml",
            errors: { containerd: 'level=error msg="failed to decode hosts.toml" error="invalid `host` tree"' },
            messageId: "no-host-table",
            says: 'containerd 1.x needs at least one [host."https://…"] table',
          },
        ],
        { containerdVersion: "1.6", runtimes: ["containerd"] },
      ],
    ],
    passes: [
      "good",
      "toml-valid",
      "toml-empty",
      "toml-referrers",
      ["toml-bad-dial-timeout", { containerdVersion: "2.0", runtimes: ["containerd"] }],
    ],
  },
  CD502: {
    fires: [
      [
        "toml-ca-missing",
        [
          {
            file: "registry-ca.crt",
            errors: ctrd(
              `unable to read CA cert "${dir("toml-ca-missing")}/registry-ca.crt": open ${dir("toml-ca-missing")}/registry-ca.crt: no such file or directory`,
            ),
            messageId: "missing",
            says: "Relative paths in hosts.toml are joined to the host directory",
          },
        ],
      ],
      [
        "toml-client-two-files-as-list",
        [
          {
            file: "client.cert",
            errors: ctrd(`failed to load X509 key pair: ${CERT_NOT_KEY}`),
            messageId: "two-combined-files",
            says: 'write client = [["client.cert", "client.key"]]',
          },
          {
            file: "client.key",
            messageId: "two-combined-files",
            says: "two files that must each hold a certificate and its key",
          },
        ],
      ],
    ],
    passes: ["good", "toml-valid", "toml-client-combined", "toml-ca-external"],
  },
  CD503: {
    fires: [
      [
        "toml-replaces-legacy",
        [
          {
            file: "hosts.toml",
            severity: "error",
            runtimes: ["docker-containerd", "containerd"],
            messageId: "names-no-file",
            says: "ca.crt, client.cert, client.key are ignored",
          },
        ],
      ],
      [
        "toml-comment-only",
        [
          {
            file: "hosts.toml",
            severity: "error",
            messageId: "names-no-file",
            says: "it names no ca or client file at all",
          },
        ],
      ],
      ["toml-title-case-keys", [{ file: "hosts.toml", severity: "warning", messageId: "files-not-named" }]],
      ["toml-unknown-keys", [{ file: "hosts.toml", severity: "error", says: "ca.crt is ignored" }]],
    ],
    passes: ["good", "toml-valid", "toml-empty", "toml-syntax-error", "toml-client-combined"],
  },
  CD504: {
    fires: [
      [
        "toml-unknown-keys",
        [
          {
            file: "hosts.toml",
            severity: "error",
            messageId: "unknown-key",
            says: 'host."https://registry.example.com:5000".ca_file is not a hosts.toml key',
          },
          {
            says: "capability is not a hosts.toml key: Docker's containerd store and containerd drop it without a word. Did you mean capabilities?",
          },
          { says: "skip-verify is not a hosts.toml key" },
        ],
      ],
      // containerd 1.x (go-toml v1) drops keys spelt in Title case, which Docker 29's containerd store (2.2) reads.
      [
        "toml-title-case-keys",
        [
          {
            runtimes: ["containerd"],
            messageId: "unknown-to-some",
            says: ".Ca is not a hosts.toml key for containerd: containerd drops it",
          },
          { runtimes: ["containerd"], says: ".Capabilities is not a hosts.toml key for containerd" },
          { runtimes: ["containerd"], says: "Docker's containerd store reads it: keys match case-insensitively" },
        ],
        { containerdVersion: "1.6" },
      ],
    ],
    passes: ["good", "toml-valid", "toml-title-case-keys"],
  },
  CD505: {
    fires: [
      [
        "toml-server-no-scheme",
        [
          {
            file: "hosts.toml",
            severity: "warning",
            runtimes: ["docker-containerd", "containerd"],
            messageId: "no-scheme",
            says: '[host."mirror.example.com:5000"] has no scheme',
          },
          { file: "hosts.toml", says: 'server = "registry.example.com:5000" has no scheme' },
        ],
      ],
    ],
    passes: ["good", "toml-valid"],
  },
  CD506: {
    fires: [
      [
        "toml-dotted-host",
        [
          {
            file: "hosts.toml",
            severity: "error",
            runtimes: ["docker-containerd", "containerd"],
            says: 'host."https://mirror.example.com" is defined without',
          },
        ],
      ],
    ],
    passes: ["good", "toml-valid"],
  },
  CD507: {
    fires: [
      [
        "toml-skip-verify",
        [{ file: "hosts.toml", severity: "warning", says: "The ca set for it (ca.crt) is then never used" }],
      ],
    ],
    passes: ["good", "toml-valid"],
  },
  CD508: {
    fires: [
      [
        "toml-misnamed",
        [
          {
            file: "host.toml",
            severity: "error",
            runtimes: ["docker-containerd", "containerd"],
            command: "mv host.toml hosts.toml",
          },
        ],
      ],
    ],
    passes: ["good", "toml-valid", ["toml-misnamed", { runtimes: ["docker", "podman"] }]],
  },
  CD509: {
    fires: [
      ["toml-docker-hub-server", [{ file: "hosts.toml", severity: "warning", says: "https://registry-1.docker.io" }]],
    ],
    passes: ["good", "toml-valid", "docker-hub"],
  },
  CD510: {
    fires: [
      [
        "toml-valid",
        [{ file: "hosts.toml", severity: "info", runtimes: ["docker", "podman"], says: "ignore hosts.toml" }],
      ],
    ],
    passes: ["good", ["toml-valid", { runtimes: ["containerd"] }], "hosts-toml-directory"],
  },
  CD511: {
    fires: [
      [
        "hosts-toml-directory",
        [
          {
            file: "hosts.toml",
            severity: "error",
            runtimes: ["docker-containerd", "containerd"],
            errors: ctrd(`read ${dir("hosts-toml-directory")}/hosts.toml: is a directory`),
            says: "It holds hosts.toml",
          },
        ],
      ],
      [
        "hosts-toml-empty-directory",
        [{ file: "hosts.toml", severity: "error", runtimes: ["docker-containerd", "containerd"], says: "It is empty" }],
      ],
    ],
    passes: ["good", "toml-valid", ["hosts-toml-directory", { runtimes: ["docker", "podman"] }]],
  },
};

describe.each(Object.entries(TABLE))("%s", (ruleId, { fires, passes }) => {
  if (fires.length) {
    // Every row gets its settings: with fewer values than parameters, Jest would pass a `done` callback and wait on it.
    const rows = fires.map(
      ([caseId, expected, settings]) => [caseId, expected, settings ?? {}] as [string, Expected[], LintSettings],
    );
    test.each(rows)("catches %s %#", (caseId, expected, settings) => expectCatches(ruleId, caseId, expected, settings));
  }
  test.each(passes.map<[string, LintSettings]>((p) => (typeof p === "string" ? [p, {}] : p)))(
    "leaves %s alone %#",
    (caseId, settings) => expectCatchesNot(ruleId, caseId, settings),
  );
});

test("CD001 speaks up for a runtime error no other rule explains", () => {
  // Without CD111, nothing explains the runtimes' errors on a host path that is a file: the safety net must.
  const rules = RULES.filter((r) => r.meta.id !== "CD111");
  const findings = lintPaths([caseRoot("host-is-file")], { rules }).findings.filter((f) => f.ruleId === "CD001");
  expect(findings.map((f) => [f.host, f.file, f.severity, f.runtimeErrors])).toEqual([
    [
      H,
      null,
      "error",
      {
        ...classic(`readdirent ${dir("host-is-file")}: not a directory`),
        ...ctrd(`open ${dir("host-is-file")}/hosts.toml: not a directory`),
      },
    ],
  ]);
});

test("every registered rule has cases where it fires and where it does not", () => {
  for (const r of RULES) {
    // The host-context rules (CD6xx) judge a whole machine: test/host/sysroots.test.ts runs each on the fixture
    // sysroots, where it fires and where it does not.
    if (r.meta.id.startsWith("CD6")) continue;
    const row = TABLE[r.meta.id];
    expect([r.meta.id, row !== undefined]).toEqual([r.meta.id, true]);
    // CD121 judges file modes, which the committed fixtures (a git checkout) do not carry: it fires in
    // test/rules/unreported.test.ts, on trees built in os.tmpdir().
    // CD120 judges files in a root named certs.d (a fixture case's root is not): it fires there too.
    if (!["CD000", "CD001", "CD002", "CD003", "CD120", "CD121"].includes(r.meta.id))
      expect([r.meta.id, row!.fires.length > 0]).toEqual([r.meta.id, true]);
    expect(row!.passes.length).toBeGreaterThan(0);
  }
});

test("rules quote Docker 20.10's wording when asked to", () => {
  expectCatches(
    "CD102",
    "key-without-cert",
    [{ docker: "Missing client certificate client.cert for key client.key" }],
    { dockerVersion: "20.10" },
  );
  expectCatches(
    "CD103",
    "ca-as-cert",
    [
      {
        docker:
          "missing key ca.key for client certificate ca.cert. Note that CA certificates should use the extension .crt",
      },
    ],
    {
      dockerVersion: "20.10",
    },
  );
});

test("no rule fires on a healthy directory, for any runtime", () => {
  for (const id of [
    "good",
    "good-key-pkcs1",
    "good-key-ec-sec1",
    "good-cert-chain",
    "good-ca-bundle",
    "good-symlinked-ca",
  ]) {
    for (const r of RULES) expectCatchesNot(r.meta.id, id);
  }
  // A valid hosts.toml, for the runtimes that read it (Docker and podman get CD510's note that they ignore it).
  for (const r of RULES) expectCatchesNot(r.meta.id, "toml-valid", { runtimes: ["containerd", "docker-containerd"] });
});
