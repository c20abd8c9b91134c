import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, maskPersonalNumbers } from '../runtime/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logs carry no secrets and no personal numbers', () => {
  it.each([
    ['1103700012345', '[national-id]'],
    ['1-1037-00012-34-5', '[national-id]'],
    ['๑๑๐๓๗๐๐๐๑๒๓๔๕', '[national-id]'],
    ['0812345678', '[phone]'],
    ['081-234-5678', '[phone]'],
    ['+66812345678', '[phone]'],
    ['042611817', '[phone]'],
    ['042-611817', '[phone]'],
  ])('masks %s', (number, mask) => {
    expect(maskPersonalNumbers(`เบอร์ ${number} ครับ`)).toBe(`เบอร์ ${mask} ครับ`);
  });

  it('leaves ordinary numbers alone', () => {
    expect(maskPersonalNumbers('เรื่องที่ 12 วันที่ 25/11/2569 เวลา 10:30')).toBe('เรื่องที่ 12 วันที่ 25/11/2569 เวลา 10:30');
  });

  it('masks numbers inside logged objects and messages, and redacts tokens and signatures', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        event: { text: 'บัตร 1103700012345 โทร 0812345678' },
        req: { headers: { authorization: 'Bearer abc', 'x-line-signature': 'sig' } },
        channelAccessToken: 'tok',
      },
      'from 0898765432',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/1103700012345|0812345678|0898765432|Bearer abc|"sig"|"tok"/);
    expect(out).toContain('[national-id]');
    expect(out).toContain('[redacted]');
  });
});
