import { TenantSlots } from './tenant-slots';

describe('TenantSlots', () => {
  it('gives a tenant at most `limit` slots while the other tenants keep theirs', () => {
    const slots = new TenantSlots(2);

    expect([slots.tryAcquire('a'), slots.tryAcquire('a'), slots.tryAcquire('a')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(slots.tryAcquire('b')).toBe(true);
    expect(slots.held('a')).toBe(2);
    expect(slots.held('b')).toBe(1);
  });

  it('frees a slot on release', () => {
    const slots = new TenantSlots(1);
    slots.tryAcquire('a');

    slots.release('a');

    expect(slots.held('a')).toBe(0);
    expect(slots.tryAcquire('a')).toBe(true);
  });

  it('never counts below zero on an extra release', () => {
    const slots = new TenantSlots(1);

    slots.release('a');

    expect(slots.held('a')).toBe(0);
    expect([slots.tryAcquire('a'), slots.tryAcquire('a')]).toEqual([true, false]);
  });
});
