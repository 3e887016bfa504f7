// npm run migrate: brings DATABASE_URL's schema up to date (the apps also migrate on start).
import { loadPipelineEnv } from '@clipguard/config';
import { createDatabase, migrateToLatest } from '@clipguard/storage';

const db = createDatabase(loadPipelineEnv().DATABASE_URL, { max: 1 });
migrateToLatest(db)
  .then((applied) => console.log(applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date'))
  .finally(() => db.destroy())
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
