import { useQuery } from '@tanstack/react-query';
import { get } from '../lib/api';
import { Dialog } from './Dialog';

/** The policy file that made the decision, exactly as stored, with its hash. */
export function PolicyText({ id, version, onClose }: { id: string; version: number; onClose: () => void }) {
  const q = useQuery({
    queryKey: ['policy', id, version],
    queryFn: () =>
      get<{ id: string; version: number; hash: string; text: string }>(
        `/v1/console/policies/${id}/v${version}`,
      ),
    staleTime: Infinity,
  });
  return (
    <Dialog title={`Policy ${id} v${version}`} onClose={onClose}>
      {q.isPending && <p>Loading…</p>}
      {q.isError && <p className="error">{q.error.message}</p>}
      {q.data && (
        <>
          <p className="muted mono">sha256 {q.data.hash}</p>
          <pre className="policy-text">{q.data.text}</pre>
        </>
      )}
    </Dialog>
  );
}
