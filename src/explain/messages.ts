/**
 * The error-text index behind `certsd-lint explain "<text>"`: what runtimes print (every historic wording), with the
 * rules that can cause it, most likely first, and what to look at. Built from the rule metadata's program texts and
 * from ../shared/docs/field-failures.md §5 (messages seen in the field, loader messages), mapped to certsd-lint's rules.
 * Fragments are matched case-insensitively; an entry matches when the text contains every fragment of one of its
 * alternatives.
 */

export interface MessageEntry {
  /** Alternatives; each is a list of fragments that must all occur (lower case). */
  match: string[][];
  /** What the text means, in one sentence. */
  meaning: string;
  /** Rule ids, most likely cause first; empty when the cause lies outside certs.d (a host or live check). */
  rules: string[];
  /** What to look at, beyond the rules. */
  check?: string;
}

const FRAMING = ["CD207", "CD208", "CD209", "CD210", "CD211", "CD212"];

export const MESSAGES: readonly MessageEntry[] = [
  // --- pairing (Docker classic, containers/image, BuildKit up to v27) ---------------------------------------------
  {
    match: [["missing key", "for client certificate"], ["missing key", "for certificate"], ["missing key"]],
    meaning: "Docker's classic loader (or podman/skopeo) found a .cert with no .key of the same name, and stops.",
    rules: ["CD103", "CD101", "CD110", "CD113"],
    check: "Is the .cert really a CA certificate (then it must be .crt)? Otherwise add the key under the same name.",
  },
  {
    match: [
      ["missing client certificate", "for key"],
      ["missing certificate", "for key"],
      ["missing client certificate"],
    ],
    meaning: "Docker's classic loader (or podman/skopeo) found a .key with no .cert of the same name, and stops.",
    rules: ["CD104", "CD102", "CD309"],
    check: "Is the client certificate saved as .crt? Is the .key a CA's key that does not belong here?",
  },
  {
    match: [["failed to load keypair for"]],
    meaning: "BuildKit inside dockerd (up to v27) could not load a client pair: usually a .cert without its .key.",
    rules: ["CD101", "CD102", "CD103"],
  },
  // --- tls.X509KeyPair --------------------------------------------------------------------------------------------
  {
    match: [["found a certificate rather than a key"]],
    meaning:
      "The key file holds a certificate (containerd: a .cert without .key holds no key, " +
      "so it looked in the .cert).",
    rules: ["CD103", "CD101", "CD203"],
  },
  {
    match: [["pem inputs may have been switched"]],
    meaning: "The .cert holds a key and no certificate: certificate and key files are switched.",
    rules: ["CD202"],
  },
  {
    match: [['failed to find "certificate" pem block in certificate input']],
    meaning: "The .cert holds PEM blocks, none of them a CERTIFICATE (PKCS#7, TRUSTED CERTIFICATE...).",
    rules: ["CD202"],
  },
  {
    match: [['failed to find pem block with type ending in "private key"']],
    meaning: "The key file holds PEM blocks, none of them a private key.",
    rules: ["CD203", "CD103", "CD101"],
  },
  {
    match: [["failed to find any pem data in certificate input"]],
    meaning: "Go found no PEM block at all in the .cert.",
    rules: ["CD202", ...FRAMING],
  },
  {
    match: [["failed to find any pem data in key input"]],
    meaning: "Go found no PEM block at all in the key file.",
    rules: ["CD203", ...FRAMING],
  },
  {
    match: [["failed to parse private key"]],
    meaning: "The key is encrypted, or in a format or of a type Go cannot parse.",
    rules: ["CD303", "CD302"],
  },
  {
    match: [["unknown private key type in pkcs#8 wrapping"]],
    meaning: "A PKCS#8 key of a type crypto/tls cannot use (X25519, X448...).",
    rules: ["CD302"],
  },
  {
    match: [["private key does not match public key"]],
    meaning: "The key is not the first certificate's key.",
    rules: ["CD301", "CD305"],
  },
  {
    match: [["private key type does not match public key type"]],
    meaning: "Key and certificate are of different algorithms.",
    rules: ["CD304"],
  },
  {
    match: [["unknown public key algorithm"]],
    meaning: "The client certificate's key is of a type crypto/tls cannot use (DSA...).",
    rules: ["CD306"],
  },
  {
    match: [["failed to load x509 key pair"]],
    meaning:
      "containerd (or Docker's containerd store) could not load a client pair; " +
      "the rest of the text is Go's reason.",
    rules: ["CD101", "CD103", "CD202", "CD203", "CD301", "CD303", "CD502"],
  },
  // --- certificate parsing -----------------------------------------------------------------------------------------
  {
    match: [["negative serial number"]],
    meaning: "Go 1.23+ refuses certificates with a negative serial number.",
    rules: ["CD409"],
  },
  {
    match: [["malformed certificate"], ["malformed tbs certificate"]],
    meaning: "Go's X.509 parser rejects the certificate's DER.",
    rules: ["CD204", "CD201"],
  },
  // --- CA files and reads -----------------------------------------------------------------------------------------
  {
    match: [["unable to load ca cert"]],
    meaning: "containerd read a CA file and found no certificate it can use in it, and fails the pull.",
    rules: ["CD201", ...FRAMING, "CD213", "CD409", "CD110", "CD502"],
  },
  {
    match: [["unable to read ca cert"], ["unable to read cert file"]],
    meaning: "containerd could not read a CA or client file (named in hosts.toml, or in the directory).",
    rules: ["CD502", "CD107"],
  },
  {
    match: [["is a directory"]],
    meaning: "A directory carries a .crt/.cert/.key name, and the loader tried to read it.",
    rules: ["CD107"],
  },
  {
    match: [["no such file or directory"]],
    meaning: "A file the loader listed is gone when read: a dangling symlink, or a path in hosts.toml.",
    rules: ["CD107", "CD502"],
  },
  {
    match: [["permission denied"]],
    meaning: "The loader may not read a file or directory (mode, owner, SELinux, rootless).",
    rules: ["CD107"],
  },
  { match: [["failed to read"]], meaning: "A read failed (BuildKit, containerd).", rules: ["CD107", "CD502"] },
  {
    match: [["unable to get system cert pool"], ["unable to initialize cert pool"], ["failed to load system roots"]],
    meaning: "The system trust store could not be loaded: a fact about the host, not about certs.d.",
    rules: ["CD001"],
    check:
      "Check the host's CA bundle (/etc/ssl/certs/ca-certificates.crt or /etc/pki/tls/certs/ca-bundle.crt) and its permissions.",
  },
  // --- hosts.toml --------------------------------------------------------------------------------------------------
  {
    // containerd core/remotes/docker/config/hosts.go parseHostConfig: `case "referrers"` was added by commit
    // b668614b55183acee713ffabdbaa61843d631d0a ("Add referrers to host config", 2025-09-17), first released in
    // v2.2.0; v1.7.x, v2.0.x and v2.1.x (checked up to v1.7.34, v2.1.9) fall to
    // `fmt.Errorf("unknown capability %v", c)`.
    match: [["unknown capability referrers"]],
    meaning:
      'capabilities = ["referrers"] needs containerd ≥ 2.2.0: older releases (1.7, 2.0, 2.1) reject it, ' +
      "and ignore the whole hosts.toml.",
    rules: ["CD501"],
    check:
      'containerd --version: below v2.2.0, remove "referrers" from capabilities (pull, resolve, push are known ' +
      "everywhere), or upgrade containerd to 2.2 or later; lint with --containerd-version to model your release.",
  },
  {
    match: [
      ["failed to decode", "hosts.toml"],
      ["failed to decode"],
      ["invalid `host` tree"],
      ["unknown capability"],
      ["invalid type", 'for "ca"'],
      ["invalid type", 'for "client"'],
      ["invalid pair", 'for "client"'],
      ["unable to parse server"],
      ["unable to cast", "to string"],
      ["invalid type", "for header"],
      ["failed to parse toml"],
    ],
    meaning:
      "containerd could not decode hosts.toml: it logs this, " +
      "ignores the whole file and uses the Docker-style files.",
    rules: ["CD501", "CD504", "CD508"],
  },
  // --- handshake: the registry's certificate ----------------------------------------------------------------------
  {
    match: [
      ["possibly because of", "crypto/rsa: verification error"],
      ["possibly because of", "ecdsa verification failure"],
    ],
    meaning:
      "A CA with the registry's issuer name is trusted, " +
      "but it did not sign the certificate: an outdated (regenerated) CA, a look-alike, " +
      "or a proxy.",
    rules: ["CD411"],
    check: "Compare the registry's issuer key (openssl s_client -showcerts) with the CA in certs.d.",
  },
  {
    match: [["parent certificate cannot sign this kind of certificate"]],
    meaning:
      "The trusted certificate that would vouch for the registry is not a CA (no basicConstraints CA:TRUE, " +
      "or no keyCertSign).",
    rules: ["CD404"],
  },
  {
    match: [["insecure algorithm"]],
    meaning: "A certificate in the chain is signed with SHA-1 or MD5, which Go refuses.",
    rules: ["CD407"],
  },
  {
    match: [["legacy common name field"]],
    meaning: "The registry's certificate names its host only in the Common Name, which Go ignores.",
    rules: ["CD405"],
  },
  {
    match: [
      ["doesn't contain any ip sans"],
      ["certificate is valid for", ", not "],
      ["certificate is not valid for any names"],
    ],
    meaning: "The registry's certificate does not cover the name the client used.",
    rules: ["CD405", "CD116", "CD105"],
    check:
      "Compare the name in the image reference with the certificate's subjectAltName (openssl s_client -connect host:port | " +
      "openssl x509 -noout -ext subjectAltName).",
  },
  {
    match: [["certificate has expired or is not yet valid"]],
    meaning: "A certificate in the chain is outside its validity period (or a clock is wrong).",
    rules: ["CD401", "CD402", "CD403"],
  },
  {
    match: [["incompatible key usage"]],
    meaning:
      "A certificate's extended key usage does not allow this use (a CA limited to clientAuth, " +
      "a server certificate used as a client certificate).",
    rules: ["CD413", "CD307"],
  },
  {
    match: [["unhandled critical extension"]],
    meaning: "A certificate carries a critical extension Go does not understand.",
    rules: ["CD412"],
  },
  {
    match: [["certificate signed by unknown authority"]],
    meaning:
      "No CA the client trusts signed the registry's certificate: the CA is missing, ignored, " +
      "or in the wrong place.",
    rules: ["CD201", "CD106", "CD105", "CD116", "CD115", "CD108", "CD205", "CD213", "CD503", "CD501", "CD117", "CD406"],
    check:
      "Which directory does this client read for the registry (name and root), " +
      "and does a CA load from it? Run certsd-lint on that root; " +
      "also check insecure-registries and, for containerd, config_path.",
  },
  // --- handshake: the client certificate --------------------------------------------------------------------------
  {
    match: [["remote error: tls: bad certificate"], ["failed to verify client certificate"]],
    meaning: "The registry refused the client certificate it was sent.",
    rules: ["CD307", "CD401", "CD402", "CD407", "CD412", "CD118", "CD113", "CD308"],
    check: "The registry's own log says why (tls: failed to verify client certificate: ...).",
  },
  {
    match: [["certificate required"], ["handshake failure"], ["client didn't provide a certificate"]],
    meaning:
      "The registry wanted a client certificate and got none: none loaded, none fits its CA list, " +
      "or the directory is never read.",
    rules: ["CD108", "CD104", "CD106", "CD102", "CD117", "CD118", "CD115", "CD116"],
    check:
      "Is the registry in insecure-registries, " +
      "or a loopback name? Then Docker's classic path never reads certs.d.",
  },
  {
    match: [
      ["connection reset by peer"],
      ["400 bad request"],
      ['"http://'],
      ["server gave http response to https client"],
    ],
    meaning:
      "The client spoke plain HTTP to a TLS registry (or the reverse): it treats the registry as insecure, " +
      "because it is in insecure-registries or is a loopback name (localhost, 127.0.0.0/8), " +
      "and then certs.d is not read either.",
    rules: ["CD108"],
    check:
      "Look for the registry in daemon.json's insecure-registries; " +
      "address a local registry by a name that does not resolve to 127.0.0.0/8.",
  },
  // --- causes outside certs.d: said plainly, with what to look at -------------------------------------------------
  {
    match: [["mirrors cannot be set when config_path is provided"]],
    meaning:
      "containerd's CRI configuration sets both registry.mirrors and config_path; " +
      "containerd 2.2 refuses to load the CRI plugin.",
    rules: [],
    check:
      'Remove the [plugins."io.containerd.grpc.v1.cri".registry.mirrors] section and describe mirrors in certs.d/<host>/hosts.toml.',
  },
  {
    match: [["no successful auth challenge"], ["failed to fetch anonymous token"], ["failed to authorize"]],
    meaning: "The registry's token service (the realm in WWW-Authenticate) is another host, and TLS to it failed.",
    rules: [],
    check:
      "curl -si https://<registry>/v2/ and read the realm; " +
      "that host needs its own certs.d directory (or its CA in the system store).",
  },
  {
    match: [["failed to parse certificate from server"]],
    meaning: "The registry sent a certificate Go cannot parse: a problem with the server's chain, not with certs.d.",
    rules: [],
    check: "openssl s_client -showcerts -connect <registry> shows what it sends.",
  },
  {
    match: [["mirrors also failed"]],
    meaning:
      "Docker tried its registry mirrors before Docker Hub and they failed too: " +
      "each mirror reads certs.d/<mirror host:port>.",
    rules: ["CD109", "CD201", "CD106"],
    check: "Lint the directory of each registry-mirrors entry as well.",
  },
  {
    match: [["skipping scan of", "permission error"]],
    meaning: "containers/image (podman) could not read a certs.d directory and skipped it without failing.",
    rules: ["CD107"],
  },
];
