import { readdirSync, readFileSync, type Dirent } from "node:fs";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { forgetWhenChanged } from "../load/fresh.js";
import { outputProblem } from "../output-guard.js";
import { builtinPaths } from "../paths.js";
import { allFaces, facesUsed, fontCss } from "../render/fonts.js";
import { ASSETS_FOLDER } from "../render/files.js";
import { toPosix, type AssetEntry, type ManifestEntry, type Staging } from "../write.js";

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
 * Call it holding the output lock, before the pages are swapped in; `pruneSharedAssets` after.
 */
export async function writeSharedAssets(out: string, files: ManifestEntry[], known: KnownFaces[]): Promise<AssetEntry[]> {
  const faces = facesOfPages(out, files, known);
  if (!faces) return [];
  const entries = await Promise.all(assets(faces).map((asset) => writeAsset(out, asset)));
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}

async function writeAsset(out: string, asset: Asset): Promise<AssetEntry> {
  const target = join(out, asset.path);
  const content = asset.content();
  const entry = { path: asset.path, sha256: createHash("sha256").update(content).digest("hex"), bytes: content.byteLength };
  const existing = await readFile(target).catch(() => undefined);
  if (existing?.equals(content)) return entry;
  const tmp = `${target}.${process.pid}`;
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
 * Removes from `<out>/assets/` every file `keep` (the manifest's asset list) does not name, and the
 * folders that leaves empty: subsets no listed page uses any more. Call it once the pages are swapped in
 * (until then the previous pages may still need them). A half-written replacement (`name.<pid>`) is left
 * to `recoverOutput`; a file that cannot be removed now is removed by the next build.
 */
export async function pruneSharedAssets(out: string, keep: AssetEntry[]): Promise<void> {
  const root = join(out, ASSETS_FOLDER);
  let found: Dirent[];
  try {
    found = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch {
    return;
  }
  const wanted = new Set(keep.map((a) => a.path));
  const unused = found.filter((f) => f.isFile() && !/\.\d+$/.test(f.name) && !wanted.has(toPosix(relative(out, join(f.parentPath, f.name)))));
  await Promise.all(unused.map((f) => rm(join(f.parentPath, f.name), { force: true }).catch(() => {})));
  // the deepest folders first, so that a folder holding only empty folders goes too
  const folders = found.filter((f) => f.isDirectory()).map((f) => join(f.parentPath, f.name));
  for (const folder of [...folders.sort((a, b) => b.length - a.length), root]) await rmdir(folder).catch(() => {});
}

/** The same files in the staging folder, for Chromium to print the staged pages with. */
export async function stageSharedAssets(staging: Staging, faces: number[]): Promise<void> {
  for (const asset of assets(faces)) await staging.write(asset.path, asset.content());
}
