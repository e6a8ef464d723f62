/** The tree model: what is on disk, before anything is decoded. */

/** What an entry is after following symlinks (a symlink itself is flagged separately). */
export type EntryKind =
  | "file"
  | "directory"
  | "fifo"
  | "socket"
  | "char-device"
  | "block-device"
  | "dangling-symlink"
  | "symlink-loop"
  | "inaccessible";

/** A file-system error, with Go's rendering of it (`open <path>: permission denied`). */
export interface FsError {
  op: "open" | "read" | "readdirent" | "stat";
  code: string;
  /** Exactly what Go's os package returns for the same operation on the same path. */
  goError: string;
}

export type ContentRead =
  /** The bytes a whole read yields. For /dev/null (known to read as empty) they are known without opening it. */
  | { status: "read"; data: Buffer }
  /** Larger than `limit`, the scan's bound: not read at all, or read no further than the bound. */
  | { status: "too-large"; size: number; limit: number }
  | { status: "error"; error: FsError }
  /** Never opened: directories, FIFOs, sockets, devices other than /dev/null, dangling links. */
  | { status: "not-read" };

/** A device's numbers (Linux `stat` st_rdev, split as glibc's major()/minor() do). */
export interface DeviceNumber {
  major: number;
  minor: number;
}

export interface Entry {
  /** The name as text (invalid UTF-8 shown with U+FFFD). */
  name: string;
  /** The name's bytes: Go sorts directory listings by these. */
  nameBytes: Buffer;
  path: string;
  kind: EntryKind;
  symlink: boolean;
  linkTarget: string | null;
  /** Set under a sysroot when the link's target, followed literally, leaves it (it is followed inside instead). */
  leavesSysroot?: boolean;
  /** Permission bits and size of what the entry resolves to (of the link itself when it dangles). */
  mode: number;
  size: number;
  /** Owning group of what the entry resolves to (of the link itself when it dangles); absent when not stat-able. */
  gid?: number;
  /** That group's name in /etc/group, or null when it has none there. */
  group?: string | null;
  /** Owning user of what the entry resolves to (of the link itself when it dangles); absent when not stat-able. */
  uid?: number;
  content: ContentRead;
  /** Character and block devices only: which device the entry (or its link target) is. */
  device?: DeviceNumber;
  /**
   * Directories only: the names directly inside (at most 64, byte order), for saying what a subdirectory holds.
   * Nothing below a host directory is ever read; this is only a listing. Null when it cannot be listed.
   */
  children?: string[] | null;
}

export interface HostDir {
  /** The certs root this host directory belongs to (its parent directory). */
  root: string;
  name: string;
  nameBytes: Buffer;
  path: string;
  /** Entries in Go's byte-wise order. Empty when the listing failed. */
  entries: Entry[];
  /** Set when the directory could not be listed, with Go's os.ReadDir error. */
  listError: FsError | null;
  /**
   * Whether the scan ran as root. A permission error seen by an ordinary user says little about what a root
   * daemon can read.
   */
  readByRoot: boolean;
  /** The host directory's own permission bits and owner (followed through a link); absent when not stat-able. */
  stat?: { mode: number; uid: number; gid: number };
  /** Names beside this host directory in its root (containerd prefers `host_port_` over `host:port`). */
  siblings: string[];
  /** Set when the host directory is itself a symlink: its target as written (readlink). */
  linkTarget?: string;
  /**
   * The directory holding a `.git` at or above the certs root, when there is one: the tree is a git work tree, whose
   * file modes say nothing (git records only the executable bit; a checkout's 0644 is the umask's).
   */
  gitWorkTree?: string | null;
}

export interface ScanResult {
  hosts: HostDir[];
  /** Roots that were walked, with entries found directly in them that are not directories. */
  roots: Array<{ path: string; looseFiles: Entry[] }>;
}

export interface ScanOptions {
  /** Bytes read at most per file; larger files are recorded as too large. Default 64 MiB. */
  maxFileBytes?: number;
  /**
   * A sysroot every path lies in: symbolic links are followed inside it (confine.ts), as on the imaged machine,
   * never outside it.
   */
  confine?: string;
}
