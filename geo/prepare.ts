/**
 * Turning a boundaries download into the file the server reads (geo/load.ts): one subdistrict a feature with its
 * DOPA geocodes as `{code, district, province, th, en, stale?}`. Takes OCHA's COD-AB schema as HDX publishes it
 * (`ADM3_PCODE` "TH490101", `ADM3_TH`, `ADM3_EN`) or a file already in the prepared form (the shared copy). Pure.
 *
 * The fixes are the ones SOURCE.md of the prepared copy makes, so both ways give the same codes: Tha Faek moved
 * from Tha Pla to Nam Pat (Royal Decree B.E. 2558, 530306 → 530407), and the 7 Bangkok khet whose khwaeng were
 * re-drawn on 2017-07-26 marked `stale` (the khet is right, its one old khwaeng must not be shown).
 */
import { places } from '../flows/places/data';
import { BoundariesFormatError, type BoundaryFeature } from './boundaries';

export const RECODE: Readonly<Record<string, string>> = { '530306': '530407' };
export const STALE_KHET: ReadonlySet<string> = new Set(['1009', '1014', '1026', '1034', '1044', '1047', '1050']);

/** The attribution CC BY 3.0 IGO asks for wherever a lookup built on the data is published. */
export const ATTRIBUTION =
  'Administrative boundaries: Royal Thai Survey Department, published by OCHA on HDX ("Thailand - Subnational ' +
  'Administrative Boundaries", COD-AB, https://data.humdata.org/dataset/cod-ab-tha), CC BY 3.0 IGO ' +
  '(https://creativecommons.org/licenses/by/3.0/igo/). Modified: re-coded to current DOPA geocodes, names replaced ' +
  '(the prepared copy also simplified, gaps closed: its SOURCE.md).';

type Props = Record<string, unknown>;

export function prepareFeatures(parsed: unknown, where: string): BoundaryFeature[] {
  const fc = parsed as { type?: string; features?: Array<{ properties?: Props; geometry?: BoundaryFeature['geometry'] }> };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new BoundariesFormatError(where, 'not a GeoJSON FeatureCollection');
  const list = places();
  const out = fc.features.map((f, i): BoundaryFeature => {
    const p = f.properties ?? {};
    const pcode = typeof p.ADM3_PCODE === 'string' ? p.ADM3_PCODE : null;
    const raw = pcode ? pcode.replace(/^TH/, '') : String(p.code ?? '');
    if (!/^\d{6}$/.test(raw)) throw new BoundariesFormatError(`${where}: feature ${i}`, `no 6-digit subdistrict code (ADM3_PCODE or code): ${JSON.stringify(pcode ?? p.code)}`);
    const code = RECODE[raw] ?? raw;
    const known = list.subdistrictByCode.get(code);
    const stale = STALE_KHET.has(code.slice(0, 4)) || p.stale === true;
    return {
      type: 'Feature',
      properties: {
        code,
        district: code.slice(0, 4),
        province: code.slice(0, 2),
        th: known?.th ?? String(p.th ?? p.ADM3_TH ?? ''),
        en: known?.en ?? String(p.en ?? p.ADM3_EN ?? ''),
        ...(stale ? { stale: true } : {}),
      },
      geometry: f.geometry as BoundaryFeature['geometry'],
    };
  });
  return out.sort((a, b) => (a.properties.code < b.properties.code ? -1 : a.properties.code > b.properties.code ? 1 : 0));
}

/** The prepared file's text: one feature a line, so a diff or a grep of it stays readable. */
export function preparedText(features: readonly BoundaryFeature[]): string {
  return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}
