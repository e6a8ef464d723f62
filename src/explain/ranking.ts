/**
 * How `explain` ranks the rules behind a text many rules explain (x509: certificate signed by unknown authority):
 *
 *   score = 100 × specificity + 10 × log2(1 + field cases) + index order (3, 2, 1 for the first three) [+ 1000 when
 *   the text names a file that singles out one rule]
 *
 * Specificity (0–1) is how much of the Go error text the rule's own declared program text (meta.programText), or the
 * index entry that lists it, accounts for: a rule whose declared text is the whole message ranks above one that
 * only shares its "certificate signed by unknown authority" part. The field prior is the number of cases in
 * ../shared/docs/field-failures.md §3 whose root cause is the rule's cause (case ids below): it breaks the ties among
 * rules an equally specific text explains, on a log scale so that it never outweighs a more specific text match.
 */

/** Cases in field-failures.md §3 whose root cause is this rule's cause. Rules not listed: no case recorded (0). */
export const FIELD_CASES: Readonly<Record<string, { cases: number; ids: string }>> = {
  CD105: { cases: 3, ids: "C01, C02, C07 (host:443 directory, reference without a port)" },
  CD106: { cases: 3, ids: "C29, C33, C34 (.pem / .cer not read)" },
  CD201: { cases: 3, ids: "C37, C38, C42 (DER, UTF-16 CA files)" },
  CD503: { cases: 1, ids: "C108 (hosts.toml turns the Docker-style files off)" },
  CD501: { cases: 2, ids: "C118, C120 (hosts.toml not decoded)" },
  CD508: { cases: 1, ids: "C107 (host.toml)" },
  CD207: { cases: 2, ids: "C39, C40 (UTF-8 byte-order mark)" },
  CD303: { cases: 1, ids: "C44 (encrypted client key)" },
  CD203: { cases: 1, ids: "C45 (PKCS#11 URI in client.key)" },
  CD103: { cases: 1, ids: "C32 (CA saved as ca.cert)" },
  CD309: { cases: 2, ids: "C21, C30 (ca.key beside ca.crt)" },
  CD310: { cases: 2, ids: "C31, C36 (server key copied to the client)" },
  CD104: { cases: 1, ids: "C35 (client certificate saved as .crt)" },
  CD405: { cases: 1, ids: "C72 (self-signed server certificate without the name)" },
  CD407: { cases: 1, ids: "C98 (SHA-1)" },
  CD412: { cases: 1, ids: "C94 (critical name constraints)" },
  CD413: { cases: 1, ids: "C95 (CA EKU without serverAuth)" },
  CD502: { cases: 1, ids: "C121 (relative ca path in hosts.toml)" },
};

export function priorPoints(id: string): number {
  return 10 * Math.log2(1 + (FIELD_CASES[id]?.cases ?? 0));
}

/**
 * One line per rule on what to check to tell it from the other rules the same text maps to. Rules not listed fall
 * back to their description.
 */
export const CHECKS: Readonly<Record<string, string>> = {
  CD101: "does every .cert have a .key of the same base name?",
  CD102: "does every .key have a .cert of the same base name?",
  CD103: "is the .cert a CA certificate (CA:TRUE)? Then it must be named .crt",
  CD104: "is a client certificate saved as .crt next to its .key? It must be .cert",
  CD105: "is the directory host:443 while the image reference has no port (or the reverse)?",
  CD106: "is the CA saved as .pem, .cer, .CRT or .crt.bak? Only *.crt is read (ls the host directory)",
  CD107: "is a .crt/.cert/.key a dangling symlink, a directory or unreadable (ls -lL)?",
  CD108: "is the registry localhost or 127.0.0.0/8? dockerd treats it as insecure and never reads certs.d",
  CD110: "are there ._* files (macOS AppleDouble) in the host directory?",
  CD113: "is an old copy (…-2023.cert, old-ca.crt) still loaded beside the current one?",
  CD115: "is the directory named after a URL (certs.d/https:/…)? It must be the bare host[:port]",
  CD116: "is the directory exactly the reference's host[:port]: no trailing dot, spaces, upper case, port subdir?",
  CD117: "is the host directory empty, while the CA lies in another certs root?",
  CD118: "are there several .cert/.key pairs? Go sends only the first that fits the registry's request",
  CD201: "does each .crt start with -----BEGIN CERTIFICATE----- (not DER, PKCS#7, empty)? head -c 40 *.crt",
  CD202: "does the .cert hold a CERTIFICATE block (not a key, not PKCS#7)?",
  CD203: "does the .key hold a PRIVATE KEY block (not a certificate, not a PKCS#11 URI)?",
  CD205: "does Go take the registry's CA from the .crt, or skip its block? certsd-lint inspect <file>",
  CD213: "does the CA's CERTIFICATE block carry header lines (Key: value) after BEGIN? Go skips such a block",
  CD301: "do the certificate's and the key's public keys match (openssl x509 -pubkey vs openssl pkey -pubout)?",
  CD302: "is the key of a type Go can use (RSA ≥ 1024, ECDSA P-256/384/521, Ed25519)?",
  CD303: "is the key encrypted (ENCRYPTED in its BEGIN line, or a Proc-Type header)?",
  CD305: "is the client's own certificate the first one in the .cert?",
  CD307:
    "does the client certificate's extendedKeyUsage include clientAuth (openssl x509 -noout -ext extendedKeyUsage)?",
  CD308: "is the client pair the CA's own certificate and key?",
  CD309: "is there a CA's private key (ca.key) in the directory?",
  CD401: "is a certificate past its notAfter (openssl x509 -noout -enddate)?",
  CD402: "is a notBefore in the future, or the clock wrong (date -u)?",
  CD404: "is the certificate in the .crt a CA (basicConstraints CA:TRUE, keyCertSign)?",
  CD405: "does the pinned server certificate's subjectAltName cover the name in the reference?",
  CD406: "is the .crt the registry's own server certificate (not a CA)? It stops working once that is renewed",
  CD407: "is a certificate signed with SHA-1 or MD5 (openssl x509 -noout -text | grep 'Signature Algorithm')?",
  CD409: "does a certificate have a negative serial number (openssl x509 -noout -serial)?",
  CD411: "are there two CAs with the registry's issuer name and different keys (a regenerated CA)?",
  CD412: "does a certificate carry a critical extension Go does not know (openssl x509 -noout -text)?",
  CD413: "does the CA's extendedKeyUsage leave out serverAuth?",
  CD501: "does containerd's log say failed to decode hosts.toml (journalctl -u containerd)?",
  CD502: "does every ca/client path hosts.toml names exist and read as the file it must be?",
  CD503: "is there a hosts.toml beside the .crt that does not name it (ca = …)? containerd then ignores the .crt",
  CD504: "does hosts.toml use a key containerd does not know (skip-verify, ca_file, capability)?",
  CD508: "is the file named exactly hosts.toml (not host.toml, hosts.tml, Hosts.toml)?",
  CD607: "on a k3s/RKE2 node hosts.toml comes from registries.yaml: do its ca_file, cert_file, key_file exist?",
};
