/** How a sortable table is ordered by its sort column (the values of `aria-sort`). */
export type SortDirection = 'ascending' | 'descending';
