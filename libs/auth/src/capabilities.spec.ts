import { can, queueCapability, tenantsWith, workableQueues } from './capabilities';

describe('role capabilities', () => {
  it('lets moderators work only the review queue', () => {
    expect(workableQueues('moderator')).toEqual(['review']);
    expect(can('moderator', 'manage_queue')).toBe(false);
    expect(can('moderator', 'read_audit')).toBe(false);
  });

  it('gives leads the escalated, QA and appeal queues, reassignment and the audit log', () => {
    expect(workableQueues('lead')).toEqual(['review', 'qa', 'escalated', 'appeal']);
    expect(can('lead', 'manage_queue')).toBe(true);
    expect(can('lead', 'manage_users')).toBe(false);
  });

  it('lets leads and admins, not moderators or auditors, add items to banks', () => {
    expect(['moderator', 'lead', 'auditor', 'admin'].map((r) => can(r as 'lead', 'manage_banks'))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('keeps auditors read-only', () => {
    expect(workableQueues('auditor')).toEqual([]);
    expect(can('auditor', 'read_audit')).toBe(true);
    expect(can('auditor', 'work_review')).toBe(false);
  });

  it('lets admins manage users', () => {
    expect(can('admin', 'manage_users')).toBe(true);
  });

  it('maps queues to capabilities and memberships to tenants', () => {
    expect(queueCapability('review')).toBe('work_review');
    expect(queueCapability('appeal')).toBe('work_lead_queues');
    const m = [
      { tenant: 'a', role: 'moderator' as const },
      { tenant: 'b', role: 'lead' as const },
      { tenant: 'c', role: 'auditor' as const },
    ];
    expect(tenantsWith(m, 'work_review')).toEqual(['a', 'b']);
    expect(tenantsWith(m, 'work_lead_queues')).toEqual(['b']);
    expect(tenantsWith(m, 'read_audit')).toEqual(['b', 'c']);
  });
});
