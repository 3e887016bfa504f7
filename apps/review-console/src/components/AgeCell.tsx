import { duration } from '../lib/format';

/** An item's age against its tenant's SLA, with a bar that turns red past it. */
export function AgeCell({ age, sla }: { age: number; sla: number }) {
  const share = sla > 0 ? age / sla : 0;
  const state = share >= 1 ? 'over' : share >= 0.75 ? 'near' : 'ok';
  return (
    <span className={`age age-${state}`} title={`${Math.round(share * 100)}% of the SLA`}>
      {duration(age)} / {duration(sla)}
      <span className="age-bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, share * 100)}%` }} />
      </span>
    </span>
  );
}
