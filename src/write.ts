import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { PolicyError } from "./errors.js";

/** json is only written for change notices. */
export type Format = "md" | "html" | "pdf" | "json";
export type DocLocale = "zh-CN" | "en" | "bilingual";

/** One line of manifest.json: what a pipeline needs to publish or verify a file. */
export interface ManifestEntry {
  profile: string;
  slug: string;
  version: string;
  locale: DocLocale;
  format: Format;
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  files: ManifestEntry[];
}

/**
 * Builds write into a staging folder inside the output folder; each profile's folder is swapped in only
 * when all its files are written, so a failed or killed build leaves the previous output whole.
 */
export class Staging {
  readonly dir: string;
  constructor(readonly out: string) {
    this.dir = join(out, `.staging-${process.pid}-${Date.now().toString(36)}`);
  }

  /** Absolute path for a file under the staging folder; refuses anything that would escape it. */
  path(rel: string): string {
    const abs = resolve(this.dir, rel);
    if (!abs.startsWith(this.dir + sep)) throw new PolicyError({ code: "UNSAFE_PATH", message: `refusing to write outside the output folder: ${rel}`, hint: "Slugs and versions may hold only letters, digits, dots and dashes." });
    return abs;
  }

  async write(rel: string, content: string | Uint8Array): Promise<{ sha256: string; bytes: number }> {
    const abs = this.path(rel);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    return { sha256: createHash("sha256").update(buf).digest("hex"), bytes: buf.byteLength };
  }

  async copy(from: string, rel: string): Promise<void> {
    const abs = this.path(rel);
    await mkdir(dirname(abs), { recursive: true });
    await copyFile(from, abs);
  }

  async read(rel: string): Promise<Buffer> {
    return readFile(this.path(rel));
  }

  /** Swaps each staged top-level folder into place, then writes the merged manifest. */
  async commit(slugs: string[], entries: ManifestEntry[]): Promise<Manifest> {
    for (const slug of slugs) {
      const target = join(this.out, slug);
      const old = join(this.out, `.old-${slug}-${process.pid}`);
      if (existsSync(target)) await rename(target, old);
      await rename(join(this.dir, slug), target);
      await rm(old, { recursive: true, force: true });
    }
    const manifest = await mergeManifest(this.out, slugs, entries);
    const tmp = join(this.dir, "manifest.json");
    await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(tmp, join(this.out, "manifest.json"));
    await this.discard();
    return manifest;
  }

  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Keeps other profiles' entries from an earlier build (when their files are still there), replaces ours. */
async function mergeManifest(out: string, slugs: string[], entries: ManifestEntry[]): Promise<Manifest> {
  let previous: ManifestEntry[] = [];
  try {
    const parsed = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as Manifest;
    if (Array.isArray(parsed.files)) previous = parsed.files;
  } catch {
    previous = [];
  }
  const kept = previous.filter((e) => !slugs.includes(e.slug) && typeof e.path === "string" && existsSync(join(out, e.path)));
  const files = [...kept, ...entries].sort((a, b) => a.path.localeCompare(b.path));
  return { files };
}

export const toPosix = (p: string) => p.split(sep).join("/");
export const relativeTo = (from: string, to: string) => toPosix(relative(from, to));
