import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  BANK_ACTIONS,
  BANK_KINDS,
  PDQ_DEFAULT_MAX_DISTANCE,
  bankSchema,
  entryValueFor,
  parseHashList,
  pdqEntryValue,
  pdqToHex,
  type Bank,
  type BankEntry,
  type EntryValue,
} from '@clipguard/banks';
import { describeIssues, isUuid } from '@clipguard/contracts';
import { CliError, EXIT_PARTIAL, fileErrorReason } from '../errors';
import { collect, helpEpilogue, numberIn, withModelOptions } from '../options';
import { engineConfig, withEngine, type EngineFlags } from '../engine-options';
import { formatTable, plural, type CliIo } from '../output';
import { OPERATOR, dbOption, findBank, withBanks, type DbOptions } from './bank-store';

const EXIT_HELP = `Exit codes:
  0  done
  2  some images or lines could not be added (each is reported)
  4  the command could not run (no such bank, bad option, database unreachable)`;

const entry = (bank: Bank, value: EntryValue, source: 'cli' | 'import', note: string): BankEntry => ({
  id: randomUUID(),
  bankId: bank.id,
  value,
  source,
  addedBy: OPERATOR.name,
  addedAt: new Date().toISOString(),
  note,
});

function describeValue(v: EntryValue): string {
  if (v.kind === 'sha256') return `sha256 ${v.sha256}`;
  if (v.kind === 'pdq') return `pdq ${pdqToHex(v.hash)} quality ${v.quality ?? '-'}`;
  return `embedding of ${v.modelId} (${v.vector.length} dimensions)`;
}

interface CreateOptions extends DbOptions, EngineFlags {
  title: string;
  kind: Bank['kind'];
  action: Bank['action'];
  tenant: string[];
  threshold?: number;
  modelId?: string;
  description?: string;
  dihedral: boolean;
  disabled?: boolean;
}

export function registerBank(program: Command, io: CliIo): void {
  const bank = program
    .command('bank')
    .description('match banks: known content that decides before the policy');

  bank
    .command('list')
    .description('every bank with its kind, action, tenants and entries')
    .option('--json', 'JSON lines instead of a table')
    .option(...dbOption)
    .addHelpText('after', helpEpilogue(['clipguard bank list', 'clipguard bank list --json'], EXIT_HELP))
    .action((o: DbOptions & { json?: boolean }) =>
      withBanks(o, async ({ banks }) => {
        const all = await banks.summaries();
        if (o.json) for (const b of all) io.out(JSON.stringify(b));
        else
          io.out(
            formatTable([
              ['id', 'kind', 'action', 'threshold', 'tenants', 'entries', 'enabled', 'title'],
              ...all.map((b) => [
                b.id,
                b.kind,
                b.action,
                b.kind === 'sha256' ? '-' : String(b.threshold),
                b.tenants.join(' '),
                String(b.entries),
                b.enabled ? 'yes' : 'no',
                b.title,
              ]),
            ]),
          );
      }),
    );

  withModelOptions(
    bank
      .command('create')
      .description('create a bank, or change one (its kind stays); every change is an audit entry')
      .argument('<id>', 'lower-case letters, digits and dashes')
      .requiredOption('--title <text>')
      .addOption(new Option('--kind <kind>', 'what it matches on').choices(BANK_KINDS).makeOptionMandatory())
      .addOption(
        new Option('--action <action>', 'what a match does').choices(BANK_ACTIONS).makeOptionMandatory(),
      )
      .option('--tenant <tenant>', "a tenant it applies to (repeatable; '*' for every tenant)", collect, [])
      .option(
        '--threshold <n>',
        `PDQ: largest distance (default ${PDQ_DEFAULT_MAX_DISTANCE}); embedding: smallest cosine similarity`,
        numberIn(0, 96),
      )
      .option('--model-id <id>', "embedding banks: the model's id (default: the --model directory's)")
      .option('--description <text>')
      .option('--no-dihedral', 'PDQ banks: match the image only as it is, not its rotations and mirrors')
      .option('--disabled', 'create it switched off')
      .option(...dbOption),
  )
    .addHelpText(
      'after',
      helpEpilogue(
        [
          "clipguard bank create csam-hashes --title 'NCMEC PDQ list' --kind pdq --action block --tenant '*'",
          'clipguard bank create museum --title "Known statues" --kind embedding --action allow --tenant acme --threshold 0.95',
        ],
        EXIT_HELP,
      ),
    )
    .action(async (id: string, o: CreateOptions) => {
      if (o.tenant.length === 0)
        throw new CliError('OPTION_INVALID', "--tenant: give at least one tenant (or '*')");
      const modelId =
        o.kind === 'embedding'
          ? (o.modelId ?? (await withEngine(o, (engine) => Promise.resolve(engine.modelId))))
          : undefined;
      const parsed = bankSchema.safeParse({
        id,
        title: o.title,
        description: o.description ?? '',
        tenants: o.tenant,
        kind: o.kind,
        threshold:
          o.threshold ?? (o.kind === 'pdq' ? PDQ_DEFAULT_MAX_DISTANCE : o.kind === 'sha256' ? 0 : undefined),
        action: o.action,
        enabled: !o.disabled,
        modelId,
        matchDihedral: o.dihedral,
      });
      if (!parsed.success) throw new CliError('OPTION_INVALID', describeIssues(parsed.error));
      await withBanks(o, async ({ banks }) => {
        const change = await banks.saveBank(parsed.data, OPERATOR);
        io.out(JSON.stringify({ ...parsed.data, revision: change.revision }));
      });
    });

  withModelOptions(
    bank
      .command('add')
      .description('add images to a bank, hashed as the bank matches (sha256, PDQ, or CLIP embedding)')
      .argument('<images...>')
      .requiredOption('--bank <id>')
      .option('--note <text>', 'why they are in the bank', '')
      .option(...dbOption),
  )
    .addHelpText(
      'after',
      helpEpilogue(['clipguard bank add --bank known-bad removed/*.jpg --note "ticket 4711"'], EXIT_HELP),
    )
    .action((images: string[], o: DbOptions & EngineFlags & { bank: string; note: string }) =>
      withBanks(o, async ({ banks }) => {
        const target = await findBank(banks, o.bank);
        const add = async (embed?: (bytes: Uint8Array) => Promise<Float32Array>) => {
          for (const file of images) {
            try {
              const bytes = readFileSync(file);
              const value = await entryValueFor(
                target,
                { image: bytes },
                {
                  limits: engineConfig(o).limits,
                  embeddingOf: embed && ((image) => embed(image)),
                },
              );
              const change = await banks.addEntry(entry(target, value, 'cli', o.note || file), OPERATOR);
              const e = change.type === 'entry-added' ? change.entry : undefined;
              io.out(JSON.stringify({ file, entry: e?.id, value: describeValue(value) }));
            } catch (err) {
              io.err(`${file}: ${fileErrorReason(err)}`);
              io.setExitCode(EXIT_PARTIAL);
            }
          }
        };
        if (target.kind !== 'embedding') return add();
        return withEngine(o, (engine) => {
          if (engine.modelId !== target.modelId)
            throw new CliError(
              'OPTION_INVALID',
              `bank ${target.id} holds embeddings of ${target.modelId}, --model is ${engine.modelId}`,
            );
          return add(
            async (bytes) => (await engine.embedImage(Buffer.from(bytes), { frames: 1 })).embeddings[0],
          );
        });
      }),
    );

  bank
    .command('import')
    .description(
      'add a CSV list of PDQ hashes (ThreatExchange / HMA exports, hash,quality lists) to a PDQ bank',
    )
    .argument('<file>')
    .requiredOption('--bank <id>')
    .option('--note <text>', 'where the list came from (default: the file name)')
    .option(...dbOption)
    .addHelpText(
      'after',
      helpEpilogue(
        ['clipguard bank import --bank stopncii hashes.csv --note "StopNCII 2026-11-27"'],
        `Formats: "hash,id,time,tags" without a header (ThreatExchange tag-query and HMA exports), python-threatexchange datasets (header collab,signal_type,signal_str,...), or "hash[,quality]". Hashes of quality below 50 are refused; the same hash twice is added once.\n\n${EXIT_HELP}`,
      ),
    )
    .action((file: string, o: DbOptions & { bank: string; note?: string }) =>
      withBanks(o, async ({ banks }) => {
        const target = await findBank(banks, o.bank);
        if (target.kind !== 'pdq')
          throw new CliError(
            'OPTION_INVALID',
            `bank ${target.id} is a ${target.kind} bank; import takes PDQ hashes`,
          );
        const list = parseHashList(readFileSync(file, 'utf8'));
        const skipped = [...list.skipped];
        const entries: BankEntry[] = [];
        for (const row of list.rows) {
          try {
            const note = `${o.note ?? file}${row.ref ? ` (id ${row.ref})` : ''}`;
            entries.push(entry(target, pdqEntryValue(row.hash, row.quality), 'import', note));
          } catch (err) {
            skipped.push({ line: row.line, reason: fileErrorReason(err) });
          }
        }
        const { added, duplicates } = await banks.addEntries(entries, OPERATOR);
        for (const s of skipped) io.err(`${file}:${s.line}: ${s.reason}`);
        if (skipped.length) io.setExitCode(EXIT_PARTIAL);
        io.out(JSON.stringify({ bank: target.id, added, duplicates, skipped: skipped.length }));
        io.err(
          `${plural(added, 'hash', 'hashes')} added to ${target.id}, ${duplicates} already there, ${skipped.length} skipped`,
        );
      }),
    );

  bank
    .command('remove')
    .description('remove entries from a bank (the audit log keeps them)')
    .argument('<entry-ids...>')
    .requiredOption('--bank <id>')
    .option(...dbOption)
    .addHelpText('after', helpEpilogue(['clipguard bank remove --bank museum 5f0c…'], EXIT_HELP))
    .action((ids: string[], o: DbOptions & { bank: string }) =>
      withBanks(o, async ({ banks }) => {
        await findBank(banks, o.bank);
        for (const id of ids) {
          const removed = isUuid(id) ? await banks.removeEntry(o.bank, id, OPERATOR) : undefined;
          if (removed) io.out(JSON.stringify({ removed: id }));
          else {
            io.err(`${id}: no such entry in bank ${o.bank}`);
            io.setExitCode(EXIT_PARTIAL);
          }
        }
      }),
    );
}
