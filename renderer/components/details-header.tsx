/** The head of a node's details card: what it is, its name and id, and Close. */
export function DetailsHeader({
  eyebrow,
  name,
  id,
  headingId,
  onClose,
}: {
  eyebrow: string;
  name: string;
  id: string;
  /** The heading's id, which the card is labelled by. */
  headingId: string;
  onClose(): void;
}) {
  return (
    <header className="card-header">
      <div>
        <p className="eyebrow">{eyebrow}</p>
        <h2 id={headingId}>{name}</h2>
        <p className="node-id">
          <code>{id}</code>
        </p>
      </div>
      <button type="button" className="button button-quiet" onClick={onClose}>
        Close
      </button>
    </header>
  );
}
