import { Link } from 'react-router';

export function NotFoundPage({ what = 'page' }: { what?: string }) {
  return (
    <section className="page narrow" aria-labelledby="nf-title">
      <h1 id="nf-title">Not found</h1>
      <p>This {what} does not exist, or it belongs to a tenant you do not work in.</p>
      <p>
        <Link to="/queues">Back to the queues</Link>
      </p>
    </section>
  );
}
