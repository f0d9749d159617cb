import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { PolicyError, type Problem } from "../errors.js";
import { displayPath } from "../load/files.js";
import { forgetWhenChanged } from "../load/fresh.js";
import { outputProblem } from "../output-guard.js";
import { builtinPaths } from "../paths.js";
import { allFaces, facesUsed, fontCss } from "../render/fonts.js";
import { ASSETS_FOLDER } from "../paths.js";
import { HALF_WRITTEN, type AssetEntry, type ManifestEntry, type Staging } from "../write.js";
import { compareText } from "../text-order.js";

/**
 * The assets every profile's pages share, in `<out>/assets/` (see ASSETS in render/files.ts): the
 * stylesheet, the @font-face rules of every subset of the bundled fonts (unicode-range: a browser
 * loads only the subsets a page's characters fall in), and the subset files the pages need.
 *
 * The folder holds what the pages the manifest lists need, no more: the pages of this build, and those
 * other builds (another shard, an earlier build of other profiles) left in the folder. A subset no page
 * uses any more (a profile's text changed, its pages went) is removed once the new pages are in place.
 * Each file is written to a temporary name and renamed, so a reader never sees half a file.
 */
interface Asset {
  path: string;
  content: () => Buffer;
}

function assets(faces: number[]): Asset[] {
  const all = allFaces();
  return [
    { path: `${ASSETS_FOLDER}/policy.css`, content: () => readFileSync(join(builtinPaths.templates, "policy.css")) },
    { path: `${ASSETS_FOLDER}/fonts.css`, content: () => Buffer.from(`${fontCss(all, "fonts")}\n`) },
    ...faces.map((i) => all[i]!).map((f) => ({ path: `${ASSETS_FOLDER}/fonts/${f.file}`, content: () => readFileSync(f.path) })),
  ];
}

// the stylesheet's own text (generated content) needs its glyphs too
let stylesheet: string | undefined;
const stylesheetText = () => (stylesheet ??= readFileSync(join(builtinPaths.templates, "policy.css"), "utf8"));
forgetWhenChanged([builtinPaths.templates], () => (stylesheet = undefined));

/** The font subsets (indexes into allFaces()) a profile's HTML pages need, given their text. */
export function pageFaces(pages: string[]): number[] {
  return facesUsed([stylesheetText(), ...pages]);
}

/** A page that links to the shared assets; an embeddable fragment's characters are its page's. */
const isPage = (f: { format: string; path: string }) => f.format === "html" && !f.path.endsWith(".fragment.html");
const pagesKey = (files: { format: string; path: string; sha256: string }[]) =>
  files
    .filter(isPage)
    .map((f) => `${f.path}\0${f.sha256}`)
    .sort()
    .join("\n");

/** Pages whose faces are known without reading them: a profile rendered now, or a cache entry. */
export interface KnownFaces {
  faces: number[];
  files: { format: string; path: string; sha256: string }[];
}

/**
 * The subsets the HTML pages in `files` (the manifest about to be written) need, or undefined when it
 * lists no page. A profile's faces are taken from `known` when its pages there are the very pages listed
 * (same paths and hashes); otherwise (a build without the cache wrote them, say) its pages are read.
 */
function facesOfPages(out: string, files: ManifestEntry[], known: KnownFaces[]): number[] | undefined {
  const pagesBySlug = new Map<string, ManifestEntry[]>();
  for (const f of files.filter(isPage)) {
    const list = pagesBySlug.get(f.slug);
    if (list) list.push(f);
    else pagesBySlug.set(f.slug, [f]);
  }
  if (!pagesBySlug.size) return undefined;
  const byPages = new Map(known.map((k) => [pagesKey(k.files), k.faces]));
  const faces = new Set<number>();
  for (const pages of pagesBySlug.values()) {
    const own = byPages.get(pagesKey(pages)) ?? pageFaces(pages.flatMap((p) => readPage(out, p.path)));
    for (const face of own) faces.add(face);
  }
  return [...faces].sort((a, b) => a - b);
}

/** A listed page's text; one that cannot be read (removed by hand) has no characters to serve. */
function readPage(out: string, path: string): string[] {
  try {
    return [readFileSync(join(out, path), "utf8")];
  } catch {
    return [];
  }
}

/**
 * Brings `<out>/assets/` up to date for the pages `files` lists (files already right are not touched) and
 * returns its entries for the manifest: exactly the files those pages need, none when there is no page.
 * `own` is what an earlier build wrote there (the manifest's asset list): the output folder may be a
 * site whose own `assets/` holds other files, and a file PolicyPress did not write is never replaced.
 * Call it holding the output lock, before the pages are swapped in; `pruneSharedAssets` after.
 */
export async function writeSharedAssets(out: string, files: ManifestEntry[], known: KnownFaces[], own: ReadonlySet<string>): Promise<AssetEntry[]> {
  const faces = facesOfPages(out, files, known);
  if (!faces) return [];
  const wanted = assets(faces).map((asset) => ({ path: asset.path, content: asset.content() }));
  const taken = wanted.filter(({ path, content }) => !own.has(path) && differsFrom(join(out, path), content));
  if (taken.length) throw new PolicyError(taken.map(({ path }) => foreignAsset(out, path)));
  const entries = await Promise.all(wanted.map(({ path, content }) => writeAsset(out, path, content)));
  return entries.sort((a, b) => compareText(a.path, b.path));
}

/** True when `path` holds something other than `content` (a file of that name that is not ours). */
function differsFrom(path: string, content: Buffer): boolean {
  try {
    return !readFileSync(path).equals(content);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

function foreignAsset(out: string, path: string): Problem {
  return {
    code: "OUTPUT_FILE_TAKEN",
    file: displayPath(join(out, path)),
    message: `the output folder already holds ${path}, which no earlier build wrote (its manifest.json does not list it); PolicyPress keeps the policies' stylesheet and fonts there, and leaves this file as it is`,
    hint: `Move it out of ${ASSETS_FOLDER}/, or build into another folder with --out. If an old PolicyPress build whose manifest.json was deleted left it, delete it.`,
  };
}

async function writeAsset(out: string, path: string, content: Buffer): Promise<AssetEntry> {
  const target = join(out, path);
  const entry = { path, sha256: createHash("sha256").update(content).digest("hex"), bytes: content.byteLength };
  const existing = await readFile(target).catch(() => undefined);
  if (existing?.equals(content)) return entry;
  const tmp = `${target}${HALF_WRITTEN}${process.pid}`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(tmp, content);
    await rename(tmp, target);
  } catch (e) {
    throw outputProblem(e, out) ?? e;
  }
  return entry;
}

/**
 * Removes from `<out>/assets/` the files an earlier build wrote (`own`, the previous manifest's asset
 * list) that `keep` (the new one) does not name, and the folders that leaves empty: subsets no listed
 * page uses any more. Files PolicyPress did not write are left alone. Call it once the pages are swapped
 * in (until then the previous pages may still need them); a file that cannot be removed now stays.
 */
export async function pruneSharedAssets(out: string, keep: AssetEntry[], own: ReadonlySet<string>): Promise<void> {
  const wanted = new Set(keep.map((a) => a.path));
  const unused = [...own].filter((path) => !wanted.has(path) && isAssetPath(path)).map((path) => join(out, path));
  await Promise.all(unused.map((file) => rm(file, { force: true }).catch(() => {})));
  // each folder that held one, deepest first, up to assets/ itself (rmdir leaves a folder that still holds files)
  const root = join(out, ASSETS_FOLDER);
  const folders = new Set<string>();
  for (const file of unused) for (let dir = dirname(file); dir.startsWith(root); dir = dirname(dir)) folders.add(dir);
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) await rmdir(folder).catch(() => {});
}

/** A path under assets/ with no way out of it (a manifest is a file anyone can edit). */
const isAssetPath = (path: string) => path.startsWith(`${ASSETS_FOLDER}/`) && !path.split("/").includes("..") && !path.includes("\\");

/** The same files in the staging folder, for Chromium to print the staged pages with. */
export async function stageSharedAssets(staging: Staging, faces: number[]): Promise<void> {
  for (const asset of assets(faces)) await staging.write(asset.path, asset.content());
}
