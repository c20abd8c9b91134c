/**
 * `npm run geo:install -- --from <folder, file or URL> [--to <folder>]`: installs the boundaries LINE location pins
 * are placed with. Reads the subdistrict polygons (OCHA COD-AB Thailand as HDX publishes it, GeoJSON with
 * ADM3_PCODE, or the prepared form), fixes and checks the codes against the project's place list, and writes
 * tambons.geojson and ATTRIBUTION.txt (and the licence files found beside the source) into BOUNDARIES_DIR
 * (default data/boundaries, git-ignored). Refuses data whose district codes disagree with the place list.
 *
 *   npm run geo:install -- --from ../shared/data/thai-districts        # the prepared copy
 *   npm run geo:install -- --from ~/Downloads/tha_admbnda_adm3_rtsd_20220121.geojson
 *   npm run geo:install -- --from https://example.org/tha_adm3.geojson
 */
import { chmod, copyFile, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ATTRIBUTION, BOUNDARIES_FILE, BoundaryIndex, checkCodes, codesAgree, placePin, prepareFeatures, preparedText } from '../geo';

/** Where to download from: the dataset page (the adm3 layer as GeoJSON, or converted to it from the shapefile). */
export const OFFICIAL_SOURCE = 'https://data.humdata.org/dataset/cod-ab-tha';

/** Points whose district is known (district offices, SOURCE.md of the prepared copy): a sanity check of the result. */
const KNOWN: Array<[name: string, lat: number, lon: number, district: string]> = [
  ['ที่ว่าการอำเภอเมืองมุกดาหาร', 16.5381, 104.7148, '4901'],
  ['ที่ว่าการอำเภอดอนตาล', 16.3165, 104.9202, '4903'],
  ['สำนักงานเขตพระนคร', 13.7651, 100.4988, '1001'],
  ['ที่ว่าการอำเภอหาดใหญ่', 7.002, 100.4573, '9011'],
  ['ที่ว่าการอำเภอเมืองเชียงใหม่', 18.7905, 98.9845, '5001'],
];

async function readSource(from: string): Promise<{ text: string; dir: string | null }> {
  if (/^https?:\/\//.test(from)) {
    const res = await fetch(from);
    if (!res.ok) throw new Error(`${from}: ${res.status} ${res.statusText}`);
    return { text: await res.text(), dir: null };
  }
  const info = await stat(from).catch(() => null);
  if (!info) throw new Error(`${from}: no such file or folder`);
  if (info.isDirectory()) return { text: await readFile(join(from, BOUNDARIES_FILE), 'utf8'), dir: from };
  return { text: await readFile(from, 'utf8'), dir: null };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
  if (!values.from) {
    console.error(`usage: npm run geo:install -- --from <folder, file or URL> [--to <folder>]\nofficial data: ${OFFICIAL_SOURCE} (subdistricts, adm3, as GeoJSON)`);
    return 2;
  }
  const to = resolve(values.to ?? process.env.BOUNDARIES_DIR ?? 'data/boundaries');
  const started = performance.now();
  const source = await readSource(values.from);
  const features = prepareFeatures(JSON.parse(source.text), values.from);
  const index = new BoundaryIndex(features);
  const codes = checkCodes(index.areas());
  console.log(`${features.length} subdistricts read from ${values.from} in ${Math.round(performance.now() - started)} ms`);
  if (codes.subdistrictsNotInPlaces.length) {
    console.log(`note: ${codes.subdistrictsNotInPlaces.length} subdistricts are not in the place list (pins there are placed by district): ${codes.subdistrictsNotInPlaces.join(' ')}`);
  }
  if (!codesAgree(codes)) {
    console.error('the district codes disagree with the place list (flows/places/data/places.json); nothing installed:');
    console.error(JSON.stringify(codes, null, 2));
    return 1;
  }
  for (const [name, lat, lon, district] of KNOWN) {
    const placed = placePin(index, { served: null }, lat, lon);
    const found = placed.kind === 'placed' ? placed.places[0]!.district : placed.kind;
    if (found !== district) {
      console.error(`${name} (${lat}, ${lon}) is placed in ${found}, not ${district}: these boundaries are not usable; nothing installed`);
      return 1;
    }
  }
  await mkdir(to, { recursive: true });
  const target = join(to, BOUNDARIES_FILE);
  await writeFile(`${target}.tmp`, preparedText(features));
  await rename(`${target}.tmp`, target);
  await writeFile(join(to, 'ATTRIBUTION.txt'), `${ATTRIBUTION}\n`);
  // The licences travel with the data (CC BY 3.0 IGO, and the MIT notices of the prepared copy's sources).
  if (source.dir) {
    for (const f of await readdir(source.dir)) {
      if (!/^(LICENSE|SOURCE)/i.test(f)) continue;
      await copyFile(join(source.dir, f), join(to, basename(f)));
      await chmod(join(to, basename(f)), 0o644); // a read-only source stays replaceable by the next install
    }
  }
  console.log(`installed ${target}: ${index.size} subdistricts, ${new Set(index.areas().map((a) => a.district)).size} districts; the server reads it at start (BOUNDARIES_DIR=${to})`);
  console.log(`attribution (show it where the lookup is published): ${ATTRIBUTION}`);
  return 0;
}

process.exitCode = await main().catch((err: Error) => {
  console.error(err.message);
  return 1;
});
