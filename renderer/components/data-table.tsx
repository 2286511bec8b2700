import type { HTMLAttributes, ReactNode, TableHTMLAttributes } from 'react';
import { useCardHeadingId } from './card.js';
import type { SortDirection } from './sort-direction.js';

export type { SortDirection };

export interface Column<K extends string = string> {
  header: ReactNode;
  /** `numeric` right-aligns the column. */
  className?: string;
  /** Read by assistive technology only (an actions column). */
  hiddenHeader?: boolean;
  /** The key this column sorts by; a column without one is not sortable. */
  sortKey?: K;
}

/** A column: its header text alone, or the header with how the column shows. */
export type ColumnSpec<K extends string = string> = Column<K> | string;

const columnOf = <K extends string>(spec: ColumnSpec<K>): Column<K> =>
  typeof spec === 'string' ? { header: spec } : spec;

export interface TableSort<K extends string> {
  key: K;
  direction: SortDirection;
  onSort(key: K): void;
}

function HeaderCell<K extends string>({ column, sort }: { column: Column<K>; sort: TableSort<K> | undefined }) {
  const content = column.hiddenHeader ? <span className="visually-hidden">{column.header}</span> : column.header;
  if (!sort || column.sortKey === undefined) {
    return (
      <th scope="col" className={column.className}>
        {content}
      </th>
    );
  }
  const { sortKey } = column;
  const active = sort.key === sortKey;
  return (
    <th scope="col" className={column.className} aria-sort={active ? sort.direction : undefined}>
      <button type="button" className="sort-button" onClick={() => sort.onSort(sortKey)}>
        {content}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/**
 * A table named by the card it stands in, scrolling sideways when narrower than its columns; sortable columns
 * get a button in their heading. `empty` (when set) stands instead of the table; `children` are the body's rows.
 */
export function DataTable<K extends string = string>({
  columns,
  className,
  testId,
  sort,
  empty,
  colgroup,
  scrollClassName = 'table-scroll',
  scrollProps,
  tableProps,
  headRowProps,
  children,
}: {
  columns: readonly ColumnSpec<K>[];
  className?: string;
  testId?: string;
  sort?: TableSort<K>;
  empty?: ReactNode;
  colgroup?: ReactNode;
  scrollClassName?: string;
  scrollProps?: HTMLAttributes<HTMLDivElement>;
  tableProps?: TableHTMLAttributes<HTMLTableElement>;
  headRowProps?: HTMLAttributes<HTMLTableRowElement>;
  children: ReactNode;
}) {
  const headingId = useCardHeadingId();
  if (empty) return <p className="muted">{empty}</p>;
  return (
    <div className={scrollClassName} {...scrollProps}>
      <table className={className} aria-labelledby={headingId} data-testid={testId} {...tableProps}>
        {colgroup}
        <thead>
          <tr {...headRowProps}>
            {columns.map((column, index) => (
              <HeaderCell key={index} column={columnOf(column)} sort={sort} />
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A body row spanning every column, for a table that says in place that it has no rows. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {children}
      </td>
    </tr>
  );
}
