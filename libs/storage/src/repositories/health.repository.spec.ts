import { createDatabase } from '../db/database';
import { HealthRepository } from './health.repository';

describe('HealthRepository', () => {
  it('answers a ping from a running database', async () => {
    const db = createDatabase('postgres://postgres@127.0.0.1:5432/postgres', { max: 1 });
    try {
      await expect(new HealthRepository(db).ping()).resolves.toBeUndefined();
    } finally {
      await db.destroy();
    }
  });

  it('fails the ping when the database cannot be reached', async () => {
    const db = createDatabase('postgres://postgres@127.0.0.1:1/none', { max: 1, connectTimeoutMs: 1000 });
    try {
      await expect(new HealthRepository(db).ping()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await db.destroy();
    }
  });
});
