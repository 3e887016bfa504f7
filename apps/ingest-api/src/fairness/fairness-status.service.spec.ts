import { tenantsFileSchema } from '@clipguard/config';
import type { FairnessAuditRepository, StoredFairnessEntry } from '@clipguard/storage';
import { FairnessStatusService } from './fairness-status.service';

const tenants = tenantsFileSchema.parse({
  tenants: {
    acme: { name: 'Acme', policy: { id: 'default', version: 3 } },
    quiet: { name: 'Quiet', policy: { id: 'default', version: 2 } },
  },
});
const entry = (ref: string, body: Record<string, unknown>): StoredFairnessEntry => ({
  seq: '1',
  ref,
  body,
  createdAt: new Date(),
});

function service(fairness: StoredFairnessEntry[], drift: StoredFairnessEntry[]) {
  const asked: [string, readonly string[]][] = [];
  const audit = {
    latest: (kind: string, refs: readonly string[]) => {
      asked.push([kind, refs]);
      return Promise.resolve((kind === 'fairness' ? fairness : drift).filter((e) => refs.includes(e.ref)));
    },
  };
  return { sut: new FairnessStatusService(audit as unknown as FairnessAuditRepository, tenants), asked };
}

describe('FairnessStatusService', () => {
  it("reads each tenant's live version's newest run, and drift only from that same run", async () => {
    const { sut, asked } = service(
      [
        entry('acme:default@v3', { slot: '2026-03-02T10:00:00.000Z', decisions: 900, alerts: [{}, {}] }),
        entry('quiet:default@v2', { slot: '2026-03-02T10:00:00.000Z', decisions: 40, alerts: [] }),
      ],
      [
        entry('acme:default@v3', { slot: '2026-03-02T10:00:00.000Z', drifted: ['red', null] }),
        // an older drift, since recovered
        entry('quiet:default@v2', { slot: '2026-03-01T10:00:00.000Z', drifted: ['star'] }),
      ],
    );
    expect(await sut.status()).toEqual([
      {
        tenant: 'acme',
        policy: 'default@v3',
        last: { slot: '2026-03-02T10:00:00.000Z', decisions: 900, alerts: 2, breach: true },
        drifted: ['red', null],
      },
      {
        tenant: 'quiet',
        policy: 'default@v2',
        last: { slot: '2026-03-02T10:00:00.000Z', decisions: 40, alerts: 0, breach: false },
        drifted: [],
      },
    ]);
    expect(asked).toEqual([
      ['fairness', ['acme:default@v3', 'quiet:default@v2']],
      ['drift', ['acme:default@v3', 'quiet:default@v2']],
    ]);
  });

  it('says there was no run yet for a tenant the job has not reached', async () => {
    const { sut } = service([], []);
    expect((await sut.status())[0]).toEqual({
      tenant: 'acme',
      policy: 'default@v3',
      last: null,
      drifted: [],
    });
  });
});
