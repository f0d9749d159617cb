import { readdirSync, readFileSync, type Dirent } from "node:fs";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { outputProblem } from "../output-guard.js";
import { builtinPaths } from "../paths.js";
import { allFaces, fontCss } from "../render/fonts.js";
import { ASSETS_FOLDER } from "../render/files.js";
import { toPosix, type AssetEntry, type Staging } from "../write.js";

/**
 * The assets every profile's pages share, in `<out>/assets/` (see ASSETS in render/files.ts): the
 * stylesheet, the @font-face rules of every subset of the bundled fonts (unicode-range: a browser
 * loads only the subsets a page's characters fall in), and the subset files the built pages need.
 *
 * The folder only grows: a build adds the subsets its profiles need and never removes one, since
 * profiles built before (another shard, an earlier build) may use it. Each file is written to a
 * temporary name and renamed, so a reader never sees half a file.
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

/** Brings `<out>/assets/` up to date for pages using `faces`; files already right are not touched. Call it holding the output lock. */
export async function writeSharedAssets(out: string, faces: number[]): Promise<void> {
  await Promise.all(assets(faces).map((asset) => writeAsset(out, asset)));
}

async function writeAsset(out: string, asset: Asset): Promise<void> {
  const target = join(out, asset.path);
  const content = asset.content();
  const existing = await readFile(target).catch(() => undefined);
  if (existing?.equals(content)) return;
  const tmp = `${target}.${process.pid}`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(tmp, content);
    await rename(tmp, target);
  } catch (e) {
    throw outputProblem(e, out) ?? e;
  }
}

/** The same files in the staging folder, for Chromium to print the staged pages with. */
export async function stageSharedAssets(staging: Staging, faces: number[]): Promise<void> {
  for (const asset of assets(faces)) await staging.write(asset.path, asset.content());
}

/**
 * Every file of the output's shared assets folder as it is now, with its hash (the manifest lists them).
 * Read synchronously: 40-odd small files, 5-10 ms, where promises per file took 35-45 ms of a rebuild.
 */
export function assetEntries(out: string): AssetEntry[] {
  const root = join(out, ASSETS_FOLDER);
  let files: Dirent[];
  try {
    files = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  const entries: AssetEntry[] = [];
  for (const f of files) {
    if (!f.isFile() || /\.\d+$/.test(f.name)) continue; // a half-written replacement (see writeAsset) is not an asset
    const abs = join(f.parentPath, f.name);
    const bytes = readFileSync(abs);
    entries.push({ path: toPosix(relative(out, abs)), sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.byteLength });
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}
