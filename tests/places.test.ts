import { describe, expect, it } from 'vitest';
import {
  allProvinces,
  districtsOf,
  formatPlace,
  narrowPlace,
  pickPlace,
  provinceByCode,
  searchPlaces,
  subdistrictsOf,
  type NarrowResult,
  type Place,
} from '../flows/places';

const codeOf = (place: Place) => (place.subdistrict ?? place.district ?? place.province).code;
const top = (text: string) => {
  const best = searchPlaces(text)[0];
  return best ? codeOf(best.place) : null;
};
const place = (code: string): Place => {
  const p = pickPlace(code);
  if (!p) throw new Error(`no place ${code}`);
  return p;
};
const choice = (r: NarrowResult) => {
  if (r.kind !== 'choose') throw new Error(`expected a choice, got ${JSON.stringify(r)}`);
  return r;
};

describe('the bundled list', () => {
  it('has the 77 provinces, about 928 districts and about 7,400 subdistricts', () => {
    const provinces = allProvinces();
    const districts = provinces.flatMap((p) => districtsOf(p.code));
    const subdistricts = districts.flatMap((d) => subdistrictsOf(d.code));
    expect(provinces).toHaveLength(77);
    expect(districts.length).toBeGreaterThanOrEqual(920);
    expect(districts.length).toBeLessThanOrEqual(935);
    expect(subdistricts.length).toBeGreaterThanOrEqual(7300);
    expect(subdistricts.length).toBeLessThanOrEqual(7600);
  });

  it('gives every area a Thai and an English name, and a geocode that starts with its parent’s', () => {
    for (const p of allProvinces()) {
      expect(p.code).toMatch(/^\d{2}$/);
      for (const d of districtsOf(p.code)) {
        expect(d.code.startsWith(p.code) && d.code.length === 4).toBe(true);
        expect(d.postcode).toMatch(/^\d{5}$/);
        for (const s of subdistrictsOf(d.code)) {
          const sound = s.code.startsWith(d.code) && /^\d{6}$/.test(s.code) && s.th !== '' && /^[A-Za-z]/.test(s.en) &&
            s.postcodes.every((c) => /^\d{5}$/.test(c));
          if (!sound) expect(s).toBe('a sound subdistrict');
        }
      }
    }
  });

  it('has Mukdahan (49) and its seven districts with their English names and postcodes', () => {
    expect(provinceByCode('49')).toEqual({ code: '49', th: 'มุกดาหาร', en: 'Mukdahan' });
    expect(districtsOf('49').map((d) => [d.code, d.th, d.en, d.postcode])).toEqual([
      ['4901', 'เมืองมุกดาหาร', 'Mueang Mukdahan', '49000'],
      ['4902', 'นิคมคำสร้อย', 'Nikhom Kham Soi', '49130'],
      ['4903', 'ดอนตาล', 'Don Tan', '49120'],
      ['4904', 'ดงหลวง', 'Dong Luang', '49140'],
      ['4905', 'คำชะอี', 'Kham Cha-i', '49110'],
      ['4906', 'หว้านใหญ่', 'Wan Yai', '49150'],
      ['4907', 'หนองสูง', 'Nong Sung', '49160'],
    ]);
  });

  it('has Bangkok’s 50 khet', () => {
    expect(provinceByCode('10')?.en).toBe('Bangkok');
    expect(districtsOf('10')).toHaveLength(50);
    expect(subdistrictsOf('1001').map((s) => s.en)).toContain('Phra Borom Maha Ratchawang');
  });

  it('returns nothing for unknown codes', () => {
    expect(provinceByCode('99')).toBeNull();
    expect(districtsOf('99')).toEqual([]);
    expect(subdistrictsOf('9999')).toEqual([]);
    expect(pickPlace('490199')).toBeNull();
    expect(pickPlace('4')).toBeNull();
    expect(pickPlace('abc')).toBeNull();
  });
});

describe('pickPlace resolves a tapped code at any level', () => {
  it.each([
    ['a province', '49', '49', undefined, undefined],
    ['a district', '4903', '49', '4903', undefined],
    ['a subdistrict', '490104', '49', '4901', '490104'],
  ])('%s', (_name, code, province, district, subdistrict) => {
    const p = pickPlace(code);
    expect(p?.province.code).toBe(province);
    expect(p?.district?.code).toBe(district);
    expect(p?.subdistrict?.code).toBe(subdistrict);
  });
});

describe('searchPlaces understands a place typed the way people type it', () => {
  it.each([
    ['a bare province name', 'มุกดาหาร', '49'],
    ['จ. with a dot', 'จ.มุกดาหาร', '49'],
    ['จ. and a space', 'จ. มุกดาหาร', '49'],
    ['จังหวัด and a particle', 'จังหวัดมุกดาหารค่ะ', '49'],
    ['a Thai typo', 'มุกดาหาน', '49'],
    ['English', 'Mukdahan', '49'],
    ['English in capitals with "province"', 'MUKDAHAN PROVINCE', '49'],
    ['an English typo', 'Mukdaharn', '49'],
    ['an English particle', 'Mukdahan ka', '49'],
    ['a district with อำเภอ', 'อำเภอเมืองมุกดาหาร', '4901'],
    ['a district with อ. and no space', 'อ.เมืองมุกดาหาร', '4901'],
    ['อ.เมือง with the province', 'อ.เมือง จ.มุกดาหาร', '4901'],
    ['อำเภอเมือง with จังหวัด', 'อำเภอเมือง จังหวัดมุกดาหาร', '4901'],
    ['Amphoe Mueang in English', 'Amphoe Mueang Mukdahan', '4901'],
    ['Muang for Mueang', 'Muang Mukdahan district', '4901'],
    ['three levels with abbreviations', 'ต.บางทรายใหญ่ อ.เมือง จ.มุกดาหาร', '490104'],
    ['subdistrict with อ.เมือง and no province', 'ต.บางทรายใหญ่ อ.เมือง', '490104'],
    ['three levels run together', 'ตำบลบางทรายใหญ่อำเภอเมืองจังหวัดมุกดาหาร', '490104'],
    ['subdistrict and district without prefixes', 'บางทรายใหญ่ เมืองมุกดาหาร', '490104'],
    ['subdistrict and district without a space', 'บางทรายใหญ่เมืองมุกดาหาร', '490104'],
    ['subdistrict and province', 'บางทรายใหญ่ มุกดาหาร', '490104'],
    ['a whole address with house number, หมู่ and postcode', '123 ม.4 ต.บางทรายใหญ่ อ.เมือง จ.มุกดาหาร 49000', '490104'],
    ['a subdistrict alone', 'บางทรายใหญ่ค่ะ', '490104'],
    ['English, comma-separated', 'Bang Sai Yai, Mueang Mukdahan, Mukdahan', '490104'],
    ['English written as one word', 'Bangsaiyai', '490104'],
    ['Tambon in English', 'Tambon Bang Sai Yai', '490104'],
    ['"I live at" in Thai', 'บ้านอยู่ดอนตาลครับ', '4903'],
    ['a district in English', 'Don Tan district', '4903'],
    ['a hyphen left out', 'Kham Chai', '4905'],
    ['Nikhom Kham Soi run together', 'Nikhom Khamsoi', '4902'],
    ['หว้านใหญ่', 'หว้านใหญ่', '4906'],
    ['หนองสูง with นะคะ', 'หนองสูงนะคะ', '4907'],
    ['กรุงเทพฯ', 'กรุงเทพฯ', '10'],
    ['กทม', 'กทม', '10'],
    ['Bangkok', 'Bangkok', '10'],
    ['a khet', 'เขตพระนคร', '1001'],
    ['a khet and the city', 'เขตบางรัก กรุงเทพมหานคร', '1004'],
    ['a khwaeng and its khet', 'แขวงลาดยาว เขตจตุจักร', '103001'],
    ['a khwaeng and its khet without prefixes', 'ลาดยาว จตุจักร', '103001'],
    ['a khwaeng in English', 'Lat Yao, Chatuchak, Bangkok', '103001'],
    ['a khet in English', 'Phra Nakhon Bangkok', '1001'],
    ['a nickname', 'โคราช', '30'],
    ['Chiang Mai as one word', 'Chiangmai', '50'],
    ['Koh for Ko', 'Koh Samui', '8404'],
    ['Nakorn for Nakhon', 'Nakorn Ratchasima', '30'],
  ])('%s: %s', (_name, input, code) => {
    expect(top(input)).toBe(code);
  });
});

describe('searchPlaces refuses what is not a place', () => {
  it.each([
    ['an empty answer', ''],
    ['a particle', 'ครับ'],
    ['a complaint', 'อยากร้องเรียนเรื่องไฟถนน'],
    ['a short word that is only part of names', 'นา'],
    ['a number', '1234'],
    ['"I do not know"', 'ไม่ทราบ'],
    ['an English sentence', 'I want to complain'],
    ['a greeting', 'hello'],
    ['a level word alone', 'ตำบล'],
    ['อ.เมือง with no province to say which', 'อ.เมือง'],
    ['a yes', 'ใช่'],
    ['a flood', 'น้ำท่วม'],
  ])('%s', (_name, input) => {
    expect(searchPlaces(input)).toEqual([]);
  });

  it('does not read a name marked with another level’s word (อ.บางทรายใหญ่ is no district)', () => {
    expect(searchPlaces('อ.บางทรายใหญ่')).toEqual([]);
  });
});

describe('searchPlaces ranks and narrows', () => {
  it('ranks the province first when a subdistrict shares its name', () => {
    const codes = searchPlaces('มุกดาหาร').map((m) => codeOf(m.place));
    expect(codes).toEqual(['49', '490101']);
  });

  it('reads เมือง as the capital district of the province it is searching within', () => {
    expect(searchPlaces('เมือง', { provinceCode: '49' }).map((m) => codeOf(m.place))).toEqual(['4901']);
  });

  it('takes เมือง for the capital district even where a subdistrict is called เมือง too (Loei)', () => {
    expect(narrowPlace('เมือง', place('42'))).toMatchObject({ kind: 'choose', level: 'subdistrict', place: { district: { code: '4201' } } });
  });

  it('keeps to the given district', () => {
    expect(searchPlaces('หนองบัว', { districtCode: '4904' }).map((m) => codeOf(m.place))).toEqual(['490402']);
    expect(searchPlaces('บางทรายใหญ่', { districtCode: '4903' })).toEqual([]);
  });

  it('scores between 0 and 1, exact names above typos', () => {
    const [exact] = searchPlaces('Mukdahan');
    const [typo] = searchPlaces('Mukdaharn');
    expect(exact?.score).toBe(1);
    expect(typo?.score).toBeGreaterThan(0.8);
    expect(typo?.score).toBeLessThan(1);
  });
});

describe('narrowPlace, one answer at a time', () => {
  it('goes from a province to its districts, then a district’s subdistricts, then done', () => {
    const first = choice(narrowPlace('จังหวัดมุกดาหาร', null));
    expect(first.level).toBe('district');
    expect(first.place?.province.code).toBe('49');
    expect(first.options.map((o) => o.th)).toEqual(['เมืองมุกดาหาร', 'นิคมคำสร้อย', 'ดอนตาล', 'ดงหลวง', 'คำชะอี', 'หว้านใหญ่', 'หนองสูง']);

    const second = choice(narrowPlace('อ.เมือง', first.place));
    expect(second.level).toBe('subdistrict');
    expect(second.place?.district?.code).toBe('4901');
    expect(second.options).toContainEqual({ code: '490104', th: 'บางทรายใหญ่', en: 'Bang Sai Yai' });

    const third = narrowPlace('บางทรายใหญ่', second.place);
    expect(third).toMatchObject({ kind: 'done', place: { subdistrict: { code: '490104', postcode: '49000' } } });
  });

  it('after a tap, asks for the next level (empty text) and accepts a tapped subdistrict', () => {
    expect(choice(narrowPlace('', place('4903'))).options.map((o) => o.code)).toContain('490301');
    expect(choice(narrowPlace('', place('49'))).level).toBe('district');
  });

  it('is done at once when the text names a subdistrict that only one place has', () => {
    expect(narrowPlace('ต.บางทรายใหญ่ อ.เมือง จ.มุกดาหาร', null)).toMatchObject({
      kind: 'done',
      place: { province: { code: '49' }, district: { code: '4901' }, subdistrict: { code: '490104' } },
    });
  });

  it('takes a district over the same-named subdistrict inside it', () => {
    const r = choice(narrowPlace('Don Tan', place('49')));
    expect(r.level).toBe('subdistrict');
    expect(r.place?.district?.code).toBe('4903');
  });

  it('offers the provinces when a subdistrict name is in too many to list (หนองบัว)', () => {
    const r = choice(narrowPlace('ต.หนองบัว', null));
    expect(r.level).toBe('province');
    expect(r.place).toBeNull();
    expect(r.options.length).toBeGreaterThan(12);
    expect(r.options.map((o) => o.th)).toContain('มุกดาหาร');
  });

  it('then finds หนองบัว inside the province picked', () => {
    expect(narrowPlace('ต.หนองบัว', place('49'))).toMatchObject({ kind: 'done', place: { subdistrict: { code: '490402' } } });
  });

  it('offers same-named subdistricts of one province as choices labelled with their district', () => {
    const r = choice(narrowPlace('หนองบัว', place('32')));
    expect(r.level).toBe('subdistrict');
    expect(r.place?.province.code).toBe('32');
    expect(r.options).toEqual([
      { code: '320307', th: 'หนองบัว (ท่าตูม)', en: expect.stringMatching(/^Nong Bua \(/) },
      { code: '320906', th: 'หนองบัว (ศีขรภูมิ)', en: expect.stringMatching(/^Nong Bua \(/) },
    ]);
  });

  it('offers same-named districts of several provinces labelled with their province', () => {
    const r = choice(narrowPlace('อ.เฉลิมพระเกียรติ', null));
    expect(r.level).toBe('district');
    expect(r.options.length).toBeGreaterThanOrEqual(5);
    expect(r.options.map((o) => o.th)).toContain('เฉลิมพระเกียรติ (นครราชสีมา)');
  });

  it('says which level each option is when one name is a district here and a subdistrict there', () => {
    const r = choice(narrowPlace('ดอนตาล', null));
    expect(r.options).toEqual([
      { code: '4903', th: 'อ.ดอนตาล จ.มุกดาหาร', en: 'Don Tan, Mukdahan' },
      expect.objectContaining({ code: '720107', th: 'ต.ดอนตาล อ.เมืองสุพรรณบุรี จ.สุพรรณบุรี' }),
    ]);
  });

  it('starts over when the text names a place outside what is known', () => {
    expect(narrowPlace('แขวงลาดยาว เขตจตุจักร', place('49'))).toMatchObject({
      kind: 'done',
      place: { province: { code: '10' }, subdistrict: { code: '103001' } },
    });
  });

  it('accepts what is known after a round trip through JSON (the conversation state)', () => {
    const stored = JSON.parse(JSON.stringify(place('4904'))) as Place;
    expect(narrowPlace('หนองบัว', stored)).toMatchObject({ kind: 'done', place: { subdistrict: { code: '490402' } } });
  });

  it('says none for text that is no place, and for empty text with nothing known', () => {
    expect(narrowPlace('อยากร้องเรียน', null)).toEqual({ kind: 'none' });
    expect(narrowPlace('ไม่ทราบครับ', place('49'))).toEqual({ kind: 'none' });
    expect(narrowPlace('', null)).toEqual({ kind: 'none' });
  });

  it('narrows Bangkok by khet and khwaeng', () => {
    const khet = choice(narrowPlace('กทม', null));
    expect(khet.options).toHaveLength(50);
    const khwaeng = choice(narrowPlace('เขตจตุจักร', khet.place));
    expect(khwaeng.options.map((o) => o.th)).toEqual(expect.arrayContaining(['ลาดยาว', 'จตุจักร', 'จอมพล']));
    expect(narrowPlace('จอมพล', khwaeng.place)).toMatchObject({ kind: 'done', place: { subdistrict: { code: '103004' } } });
  });
});

describe('formatPlace', () => {
  it.each([
    ['a subdistrict in Thai', '490104', 'th', 'ต.บางทรายใหญ่ อ.เมืองมุกดาหาร จ.มุกดาหาร'],
    ['a subdistrict in English', '490104', 'en', 'Bang Sai Yai, Mueang Mukdahan, Mukdahan'],
    ['a district in Thai', '4903', 'th', 'อ.ดอนตาล จ.มุกดาหาร'],
    ['a province in English', '49', 'en', 'Mukdahan'],
    ['Bangkok with แขวง and เขต and no จ.', '100101', 'th', 'แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร'],
    ['Bangkok in English', '100101', 'en', 'Phra Borom Maha Ratchawang, Phra Nakhon, Bangkok'],
    ['a Bangkok khet', '1030', 'th', 'เขตจตุจักร กรุงเทพมหานคร'],
  ] as const)('%s', (_name, code, locale, expected) => {
    expect(formatPlace(place(code), locale)).toBe(expected);
  });
});
