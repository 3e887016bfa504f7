/**
 * In-flight work per tenant, bounded: a tenant at its limit waits its turn while other tenants' work goes
 * on, so one tenant's hanging endpoint can hold at most `limit` of a process's callback slots.
 */
export class TenantSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limit: number) {}

  tryAcquire(tenant: string): boolean {
    const n = this.inFlight.get(tenant) ?? 0;
    if (n >= this.limit) return false;
    this.inFlight.set(tenant, n + 1);
    return true;
  }

  release(tenant: string): void {
    const n = (this.inFlight.get(tenant) ?? 0) - 1;
    if (n > 0) this.inFlight.set(tenant, n);
    else this.inFlight.delete(tenant);
  }

  held(tenant: string): number {
    return this.inFlight.get(tenant) ?? 0;
  }
}
