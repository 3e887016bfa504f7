import { parseHashList } from './hash-list';

const A = 'acecf3355e3125c8e24e2f30e0d4ec4f8482b878b3c34cdbdf063278db275992';
const B = '8fb70f36e1c4181e82fde7d0f80138430e1e31f07b628e31ccbb687e87e1f307';

describe('parseHashList', () => {
  it('reads the ThreatExchange / HMA export: hash,id,time,tags without a header', () => {
    const text = [
      `${A},2880742865368386,2020-07-31T18:47:52+0000,media_priority_pdq_samples media_type_photo`,
      `${B.toUpperCase()},2888629371260007,2020-07-31T18:47:52+0000,disputed`,
    ].join('\n');
    expect(parseHashList(text)).toEqual({
      rows: [
        { line: 1, hash: A, ref: '2880742865368386' },
        { line: 2, hash: B, ref: '2888629371260007' },
      ],
      skipped: [],
    });
  });

  it('reads hash,quality lists with or without a header', () => {
    expect(parseHashList(`${A},90\n${B}\n`).rows).toEqual([
      { line: 1, hash: A, quality: 90 },
      { line: 2, hash: B },
    ]);
    expect(parseHashList(`hash,quality\n${A},75\n`).rows).toEqual([{ line: 2, hash: A, quality: 75 }]);
  });

  it('reads python-threatexchange datasets, skipping other signal types and naming bad lines', () => {
    const text = [
      'collab,signal_type,signal_str,category,tags',
      `Sample Signals,pdq,${A},WORTH_INVESTIGATING,`,
      'Sample Signals,md5,d41d8cd98f00b204e9800998ecf8427e,WORTH_INVESTIGATING,',
      'Sample Signals,pdq,nothex,WORTH_INVESTIGATING,',
    ].join('\n');
    expect(parseHashList(text)).toEqual({
      rows: [{ line: 2, hash: A }],
      skipped: [
        { line: 3, reason: 'signal type md5, not pdq' },
        { line: 4, reason: '"nothex" is not a PDQ hash (64 hex digits)' },
      ],
    });
  });

  it('refuses a header without a hash column', () => {
    expect(() => parseHashList('name,value\nx,y\n')).toThrow(
      expect.objectContaining({ code: 'ENTRY_INVALID' }) as Error,
    );
  });
});
