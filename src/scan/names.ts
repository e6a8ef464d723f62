/** What an entry's name alone says about it. */

/**
 * The extensions every loader reads, matched case-sensitively on the text after the last dot: CA files, client
 * certificates, client keys. Everything else in a host directory is ignored (containerd also reads what hosts.toml
 * names).
 */
export const CA_EXT = ".crt";
export const CERT_EXT = ".cert";
export const KEY_EXT = ".key";
export const LIVE_EXTENSIONS: readonly string[] = [CA_EXT, CERT_EXT, KEY_EXT];

/** Go's filepath.Ext: from the last dot of the name, dot included; "" when there is none. */
export function goExt(name: string): string {
  const i = name.lastIndexOf(".");
  return i < 0 ? "" : name.slice(i);
}

/** A name some loader reads by its extension alone. */
export function isLiveName(name: string): boolean {
  return LIVE_EXTENSIONS.includes(goExt(name));
}

/** `client.cert` → `client.key`: the key a client certificate is paired with, by name. */
export function keyNameOf(certName: string): string {
  return `${certName.slice(0, -CERT_EXT.length)}${KEY_EXT}`;
}

/** `client.key` → `client.cert`: the certificate a key is paired with, by name. */
export function certNameOf(keyName: string): string {
  return `${keyName.slice(0, -KEY_EXT.length)}${CERT_EXT}`;
}

const MATERIAL_EXTENSIONS = new Set([
  "crt",
  "cert",
  "key",
  "pem",
  "cer",
  "der",
  "p12",
  "pfx",
  "p7b",
  "p7c",
  "csr",
  "ca-bundle",
]);

/** A file name that certificate material can hide behind: live or ignored extensions, backups of them, hosts.toml. */
export function looksLikeMaterialName(name: string): boolean {
  if (name === "hosts.toml") return true;
  const lower = name.toLowerCase().replace(/~+$/, "");
  return lower
    .split(".")
    .slice(1)
    .some((p) => MATERIAL_EXTENSIONS.has(p));
}

/** macOS AppleDouble metadata ("._ca.crt"), written next to files copied from a Mac to a non-Apple file system. */
export function isAppleDouble(name: string): boolean {
  return name.startsWith("._") && name.length > 2;
}

/** A name that reads like a registry directory: localhost, _default, anything with a dot or colon, host_port_. */
export function hostLikeName(name: string): boolean {
  return name === "localhost" || name === "_default" || /[.:]/.test(name) || /_\d+_$/.test(name);
}
