import { ViewPage } from '../components/view-page.js';

/** A view that is not built yet says so, and what it will show, rather than showing made-up data. */
export function ComingView({ title, coming }: { title: string; coming: string | undefined }) {
  return (
    <ViewPage title={title}>
      <section className="card card-coming">
        <p className="coming-tag">Coming</p>
        <p>{coming}</p>
      </section>
    </ViewPage>
  );
}
