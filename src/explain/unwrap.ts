/**
 * What a user pastes from a log, unwrapped to the Go error text inside, keeping the image reference and registry the
 * wrappers name. Forms handled (each tested with a real-looking line in test/explain/explain.test.ts):
 *
 * - podman, skopeo, buildah: `Error: initializing source docker://myreg:5000/alpine:latest: pinging container
 *   registry myreg:5000: Get "https://myreg:5000/v2/": x509: …` (containers/image docker/docker_image_src.go,
 *   docker/docker_client.go), also after `Trying to pull …...` and `Failed, retrying in 1s ... (1/3).`;
 * - the logrus text formatter (`FATA[0000] …`, skopeo and nerdctl) and logfmt lines (`time="…" level=error
 *   msg="…" error="…"`, dockerd and containerd), whole or cut off mid-value;
 * - klog lines (kubelet and the CRI: `E1203 16:05:33.123456    1234 remote_image.go:180] "PullImage from image
 *   service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image …" image="…"`), whole or cut;
 * - the docker CLI (`Error response from daemon: …`) and dockerd's log (`Handler for POST … returned error: …`);
 * - ctr, crictl, kubectl events (`Failed to pull image "…": rpc error: …`), BuildKit.
 */
import { parseImageReference } from "../runtimes/reference.js";

export interface Unwrapped {
  /** The Go error text inside the wrappers. */
  inner: string;
  /** The whole line as one line, logfmt/klog fields joined (`msg: error`). */
  full: string;
  /** The wrapping recognised first: "podman", "klog", "logrus", "docker", "ctr", "crictl", "kubelet", "buildkit". */
  source: string | null;
  /** The image reference a wrapper names (without a transport such as docker://). */
  reference: string | null;
  /** The registry host[:port] the text is about: named by a wrapper, or the reference's. */
  registry: string | null;
  /** The paste ends inside a quoted logfmt/klog value: the text is cut off. */
  cut: boolean;
}

/** A quoted (Go %q / logfmt) or bare value at `at`; a quoted value cut off by the paste runs to the end. */
function readValue(s: string, at: number): { value: string; end: number; cut?: boolean } {
  if (s[at] !== '"') {
    const m = /^\S*/.exec(s.slice(at))!;
    return { value: m[0], end: at + m[0].length };
  }
  let out = "";
  let i = at + 1;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && i + 1 < s.length) {
      const n = s[++i]!;
      out += n === "n" || n === "t" ? " " : n;
    } else if (c === '"') return { value: out, end: i + 1 };
    else out += c;
  }
  return { value: out, end: i, cut: true };
}

/** logfmt / klog key=value fields (the first occurrence of each key), values unquoted. */
function fields(s: string): { values: Map<string, string>; cut: boolean } {
  const values = new Map<string, string>();
  const key = /(?:^|\s)([A-Za-z_][\w.-]*)=/g;
  let m: RegExpExecArray | null;
  let cut = false;
  while ((m = key.exec(s))) {
    const v = readValue(s, m.index + m[0].length);
    if (!values.has(m[1]!)) values.set(m[1]!, v.value);
    cut ||= v.cut === true;
    key.lastIndex = v.end;
  }
  return { values, cut };
}

/** klog's header: severity, MMDD, time, thread id, file:line]. */
const KLOG = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+\s+[\w.-]+:\d+\]\s*/;

/** A logfmt line's message and its error as the program joined them (`msg: error`). */
function unFields(s: string): { text: string; source: string | null; image: string | null; cut: boolean } {
  const klog = KLOG.exec(s);
  if (klog) {
    const rest = s.slice(klog[0].length);
    const head = rest.startsWith('"') ? readValue(rest, 0) : { value: "", end: 0, cut: false };
    const { values: f, cut } = fields(rest.slice(head.end));
    const err = f.get("err") ?? f.get("error");
    return {
      text: err ?? (head.value || rest),
      source: "klog",
      image: f.get("image") ?? f.get("imageRef") ?? null,
      cut: cut || head.cut === true,
    };
  }
  if (/(?:^|\s)level=\w+/.test(s) && /(?:^|\s)msg=/.test(s)) {
    const { values: f, cut } = fields(s);
    const msg = f.get("msg") ?? "";
    const err = f.get("error") ?? f.get("err");
    return { text: err ? `${msg}: ${err}` : msg, source: "logrus", image: f.get("image") ?? null, cut };
  }
  return { text: s, source: null, image: null, cut: false };
}

type Capture = "reference" | "registry" | "url";

/** Wrappers the programs put around the Go error; they carry no diagnosis of their own, only names. */
export const WRAPPERS: ReadonlyArray<{ re: RegExp; capture?: Capture; source?: string }> = [
  // The logrus text formatter: skopeo, nerdctl, crictl (`FATA[0000] …`).
  { re: /^(?:fata|erro|warn|info|debu)\[\d+\]\s*/i },
  { re: /^error response from daemon:\s*/i, source: "docker" },
  // dockerd's own log line for the same failure.
  { re: /^handler for \w+ \S+ returned error:\s*/i, source: "docker" },
  // podman pull's progress line, pasted with the error below it; its retry notice (pkg/retry).
  { re: /^trying to pull (\S+?)\.\.\.\s*/i, capture: "reference", source: "podman" },
  { re: /^failed, retrying in \S+ \.\.\. \(\d+\/\d+\)\.\s*/i, source: "podman" },
  { re: /^error:\s*/i },
  { re: /^creating build container:\s*/i, source: "podman" },
  { re: /^initializing (?:source|destination) (?:docker:\/\/)?(\S+):\s+/i, capture: "reference", source: "podman" },
  { re: /^error parsing image name "(?:docker:\/\/)?([^"]*)":\s*/i, capture: "reference", source: "podman" },
  { re: /^(?:error )?reading manifest \S+ in (\S+):\s*/i, capture: "reference", source: "podman" },
  { re: /^pinging container registry (\S+?):\s+/i, capture: "registry", source: "podman" },
  { re: /^pinging docker registry returned:\s*/i, source: "podman" },
  // kubectl describe pod events, crictl pull, the CRI's gRPC status, containerd's CRI log.
  { re: /^failed to pull image "([^"]*)":\s*/i, capture: "reference", source: "kubelet" },
  { re: /^pulling image:\s*/i, source: "crictl" },
  { re: /^rpc error: code = \w+ desc =\s*/i },
  { re: /^pullimage "([^"]*)" failed:\s*/i, capture: "reference" },
  { re: /^failed to pull and unpack image "([^"]*)":\s*/i, capture: "reference" },
  { re: /^failed to resolve source metadata for (\S+?):\s+/i, capture: "reference", source: "buildkit" },
  { re: /^(ctr: )?failed to resolve reference "([^"]*)":\s*/i, capture: "reference" },
  { re: /^failed to copy:\s*/i },
  { re: /^httpreadseeker: failed open:\s*/i },
  { re: /^failed to do request:\s*/i },
  // net/http's *url.Error: `Get "https://…": ` (Go 1.14+ quotes the URL; older releases did not).
  { re: /^(?:get|head|post|put) "?(https?:\/\/[^"\s]*)"?:\s*/i, capture: "url" },
  { re: /^creating new docker client:\s*/i },
  // Go 1.20+ crypto/tls wraps every verification error: `tls: failed to verify certificate: x509: …`.
  { re: /^tls: failed to verify certificate:\s*(?=x509: )/i },
];

function hostOf(reference: string): string | null {
  try {
    return parseImageReference(reference.replace(/^docker:\/\//, "")).host;
  } catch {
    return null;
  }
}

export function unwrap(text: string): Unwrapped {
  const line = text.replace(/\s+/g, " ").trim();
  const { text: joined, source: fieldSource, image, cut } = unFields(line);
  let s = joined.trim();
  let source = fieldSource;
  let reference = image;
  let registry: string | null = null;
  let urlHost: string | null = null;
  for (let changed = true; changed;) {
    changed = false;
    for (const w of WRAPPERS) {
      const m = w.re.exec(s);
      if (!m || m[0].length >= s.length) continue;
      const value = m[m.length - 1];
      if (w.capture === "reference" && value && !reference) reference = value;
      if (w.capture === "registry" && value && !registry) registry = value;
      if (w.capture === "url" && value && !urlHost) {
        try {
          urlHost = new URL(value).host;
        } catch {
          urlHost = null;
        }
      }
      if (m[1] === "ctr: ") source ??= "ctr";
      if (w.source) source ??= w.source;
      s = s.slice(m[0].length);
      changed = true;
    }
  }
  return {
    inner: s,
    full: joined,
    source,
    reference,
    registry: registry ?? (reference ? hostOf(reference) : null) ?? urlHost,
    cut,
  };
}
