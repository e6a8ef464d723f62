/**
 * The few Linux character devices whose content is known without opening them (Documentation/admin-guide/devices.txt,
 * major 1, "memory devices"; drivers/char/mem.c). certsd-lint never opens a device: it tells them apart by their
 * numbers (st_rdev) alone.
 */
import type { DeviceNumber } from "./types.js";

/** glibc's gnu_dev_major/gnu_dev_minor (sysdeps/unix/sysv/linux/sys/sysmacros.h) on a Linux st_rdev. */
export function splitRdev(rdev: number | bigint): DeviceNumber {
  const d = BigInt(rdev);
  const major = ((d & 0x00000000000fff00n) >> 8n) | ((d & 0xfffff00000000000n) >> 32n);
  const minor = (d & 0x00000000000000ffn) | ((d & 0x00000ffffff00000n) >> 12n);
  return { major: Number(major), minor: Number(minor) };
}

/** /dev/null: every read returns end of file at once (read_null in drivers/char/mem.c). */
export function isNullDevice(d: DeviceNumber | undefined): boolean {
  return process.platform === "linux" && d !== undefined && d.major === 1 && d.minor === 3;
}

/**
 * Devices that never return end of file: /dev/zero and /dev/full yield zero bytes (read_iter_zero), /dev/random and
 * /dev/urandom random bytes, for as long as one reads.
 */
const ENDLESS: Record<number, string> = { 5: "/dev/zero", 7: "/dev/full", 8: "/dev/random", 9: "/dev/urandom" };

/** The name of an endless device, or null when the device is not one of them. */
export function endlessDevice(d: DeviceNumber | undefined): string | null {
  if (process.platform !== "linux" || d === undefined || d.major !== 1) return null;
  return ENDLESS[d.minor] ?? null;
}
