import { PipelineClient, Stack } from '@clipguard/testing';

jest.setTimeout(120_000);

const stack = new Stack();
const client = new PipelineClient(stack);
const auth = { authorization: 'Bearer acme-key' };

const json = async <T>(res: Response) => (await res.json()) as T;

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop(), 60_000);

describe('moderation API (API key)', () => {
  it('moderates JSON with ?wait and returns the decision', async () => {
    const png = await client.scene({ shape: 'triangle', colour: 'red', size: 'large' }, 8);
    const res = await fetch(`${stack.apiUrl}/v1/moderations?wait=20000`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ content: { base64: png.toString('base64') } }),
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'decided', decision: { verdict: 'block' } });
  });

  it('moderates a multipart upload in the field "image", and refuses any other field', async () => {
    const png = await client.scene({ shape: 'square', colour: 'green', size: 'large' }, 9);
    const upload = (field: string) => {
      const form = new FormData();
      form.append(field, new Blob([png]), 'x.png');
      return fetch(`${stack.apiUrl}/v1/moderations?wait=20000`, {
        method: 'POST',
        headers: auth,
        body: form,
      });
    };
    const ok = await upload('image');
    expect((await json<{ decision: { verdict: string } }>(ok)).decision.verdict).toBe('allow');
    const wrong = await upload('file');
    expect([wrong.status, (await json<{ code: string }>(wrong)).code]).toEqual([
      422,
      'MULTIPART_FIELD_INVALID',
    ]);
  });

  it('refuses a missing or unknown key, and hides other tenants', async () => {
    const noKey = await fetch(`${stack.apiUrl}/v1/moderations`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect([noKey.status, (await json<{ code: string }>(noKey)).code]).toEqual([401, 'API_KEY_INVALID']);
    const wrongKey = await fetch(`${stack.apiUrl}/v1/moderations`, {
      headers: { authorization: 'Bearer acme-key-but-wrong' },
    });
    expect(wrongKey.status).toBe(401);
    const png = await client.scene({ shape: 'heart', colour: 'red', size: 'large' }, 12);
    const created = await fetch(`${stack.apiUrl}/v1/moderations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ content: { base64: png.toString('base64') } }),
    });
    const { submission_id } = await json<{ submission_id: string }>(created);
    const other = await fetch(`${stack.apiUrl}/v1/moderations/${submission_id}`, {
      headers: { authorization: 'Bearer deadend-key' },
    });
    expect([other.status, (await json<{ code: string }>(other)).code]).toEqual([404, 'SUBMISSION_NOT_FOUND']);
    const forbidden = await fetch(`${stack.apiUrl}/v1/moderations?tenant=deadend`, { headers: auth });
    expect((await json<{ code: string }>(forbidden)).code).toBe('TENANT_FORBIDDEN');
  });

  it('lists by verdict and refuses parameters it would otherwise ignore', async () => {
    const list = await json<{ items: { verdict: string }[] }>(
      await fetch(`${stack.apiUrl}/v1/moderations?verdict=block&limit=5`, { headers: auth }),
    );
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i) => i.verdict === 'block')).toBe(true);
    for (const query of [
      'verdict[]=block',
      'verdict=maybe',
      'limit=0',
      'colour=red',
      'verdict=block&verdict=allow',
    ]) {
      const res = await fetch(`${stack.apiUrl}/v1/moderations?${query}`, { headers: auth });
      expect([query, res.status, (await json<{ code: string }>(res)).code]).toEqual([
        query,
        400,
        'QUERY_INVALID',
      ]);
    }
  });
});
