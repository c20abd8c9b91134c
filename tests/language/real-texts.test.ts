/**
 * The real-text evaluation: Traffy Fondue citizen reports (../shared, evaluation only, never trained on or copied
 * here) must read as complaints. Skipped, visibly, where the shared folder is not mounted.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultLanguageModel } from '../../language/index';
import { parseCsvObjects } from '../../language/train/csv';
import { distribution } from '../../language/train/metrics';

const TRAFFY = fileURLToPath(new URL('../../../shared/data/thai-complaints/traffy-sample.csv', import.meta.url));
const present = existsSync(TRAFFY);
// Every third row: the share moves by well under a point and the test stays under 20 s on two cores.
const STRIDE = 3;

describe.skipIf(!present)(`real Traffy reports read as complaints${present ? '' : ` (skipped: ${TRAFFY} not found)`}`, () => {
  it('reads at least 95 % of them as complaint', () => {
    const rows = parseCsvObjects(readFileSync(TRAFFY, 'utf8')).filter((_, i) => i % STRIDE === 0);
    const model = defaultLanguageModel();
    const intents = rows.map((r) => model.read(r.text!).intent);
    const share = intents.filter((i) => i === 'complaint').length / intents.length;
    const others = distribution(intents.filter((i) => i !== 'complaint')).map(([k, n]) => `${k} ${n}`).join(', ');
    expect(share, `complaint share ${(100 * share).toFixed(2)} % of ${rows.length}; others: ${others}`).toBeGreaterThanOrEqual(0.95);
  });
});
