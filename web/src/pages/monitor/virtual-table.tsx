// A table that renders only the rows in view: fixed row height, the rows inside the scrolled window plus a
// few above and below (overscan), positioned in a spacer as tall as every row together. 10,000 rows cost
// the DOM of about forty. ARIA table roles with aria-rowcount and aria-rowindex, so assistive technology
// (and tests) know the whole size; column headers sort.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowSortUpRegular } from '@fluentui/react-icons/svg/arrow-sort-up';
import { ArrowSortDownRegular } from '@fluentui/react-icons/svg/arrow-sort-down';

export interface Column<T> {
  readonly key: string;
  readonly header: string;
  /** A CSS grid track, e.g. 'minmax(160px, 2fr)'. */
  readonly width: string;
  readonly render: (row: T) => ReactNode;
  /** Sortable columns compare two rows. */
  readonly compare?: (a: T, b: T) => number;
}

export interface SortState {
  readonly key: string;
  readonly descending: boolean;
}

export interface VirtualTableProps<T> {
  readonly label: string;
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  readonly columns: readonly Column<T>[];
  /** Pixels; every row has this height. */
  readonly rowHeight?: number;
  /** Largest height of the scrolled area (CSS): fewer rows take less. */
  readonly height: string;
  /** Rows rendered above and below the window. */
  readonly overscan?: number;
  readonly selectedKey?: string;
  readonly onOpen?: (row: T) => void;
  readonly sort?: SortState;
  readonly onSort?: (sort: SortState) => void;
  /** Told which rows are in view (first index, last index exclusive), e.g. to refresh just those. */
  readonly onRangeChange?: (first: number, last: number) => void;
  readonly empty?: ReactNode;
}

const HEADER_HEIGHT = 40;

const useStyles = makeStyles({
  scroller: {
    position: 'relative',
    overflowY: 'auto',
    overflowX: 'auto',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    outlineStyle: 'none',
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  header: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    display: 'grid',
    alignItems: 'center',
    height: `${HEADER_HEIGHT}px`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
  },
  headerCell: { padding: `0 ${tokens.spacingHorizontalM}`, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' },
  sortButton: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    border: 'none',
    background: 'none',
    padding: 0,
    font: 'inherit',
    color: 'inherit',
    cursor: 'pointer',
    ':hover': { textDecorationLine: 'underline' },
  },
  body: { position: 'relative' },
  row: {
    position: 'absolute',
    left: 0,
    right: 0,
    display: 'grid',
    alignItems: 'center',
    boxSizing: 'border-box',
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    fontSize: tokens.fontSizeBase300,
    cursor: 'pointer',
    outlineStyle: 'none',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected, ':hover': { backgroundColor: tokens.colorSubtleBackgroundSelected } },
  cell: { padding: `0 ${tokens.spacingHorizontalM}`, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', minWidth: 0 },
  empty: { padding: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground3 },
});

export function VirtualTable<T>({
  label,
  rows,
  rowKey,
  columns,
  rowHeight = 40,
  height,
  overscan = 8,
  selectedKey,
  onOpen,
  sort,
  onSort,
  onRangeChange,
  empty,
}: VirtualTableProps<T>) {
  const styles = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // The window is the largest height (the table grows to it), so rows arriving never leave a gap.
    const measure = () => setViewport(Math.max(el.clientHeight, Number.parseFloat(getComputedStyle(el).maxHeight) || 0) - HEADER_HEIGHT);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const total = rows.length;
  const firstVisible = Math.min(total, Math.floor(scrollTop / rowHeight));
  const lastVisible = Math.min(total, Math.ceil((scrollTop + Math.max(0, viewport)) / rowHeight));
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(total, lastVisible + overscan);

  const rangeChange = useRef(onRangeChange);
  rangeChange.current = onRangeChange;
  useEffect(() => {
    rangeChange.current?.(firstVisible, lastVisible);
  }, [firstVisible, lastVisible]);

  const template = columns.map((c) => c.width).join(' ');
  const minWidth = `${columns.length * 110}px`;

  const focusRow = (index: number) => {
    const el = scroller.current;
    if (!el || index < 0 || index >= total) return;
    const top = index * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight - HEADER_HEIGHT) el.scrollTop = top + rowHeight - (el.clientHeight - HEADER_HEIGHT);
    // The row exists after the scroll renders it.
    requestAnimationFrame(() => (el.querySelector(`[aria-rowindex="${index + 2}"]`) as HTMLElement | null)?.focus());
  };

  const onRowKey = (e: KeyboardEvent<HTMLDivElement>, index: number, row: T) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen?.(row);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focusRow(index + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusRow(e.key === 'Home' ? 0 : total - 1);
    }
  };

  const visible: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const row = rows[i]!;
    const key = rowKey(row);
    visible.push(
      <div
        key={key}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={key === selectedKey}
        data-key={key}
        tabIndex={i === firstVisible ? 0 : -1}
        className={mergeClasses(styles.row, key === selectedKey && styles.selected)}
        style={{ top: i * rowHeight, height: rowHeight, gridTemplateColumns: template, minWidth }}
        onClick={() => onOpen?.(row)}
        onKeyDown={(e) => onRowKey(e, i, row)}
      >
        {columns.map((c) => (
          <div key={c.key} role="cell" className={styles.cell}>
            {c.render(row)}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      role="table"
      aria-label={label}
      aria-rowcount={total + 1}
      className={styles.scroller}
      style={{ maxHeight: height, minHeight: `${HEADER_HEIGHT + rowHeight * 2}px` }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className={styles.header} style={{ gridTemplateColumns: template, minWidth }}>
          {columns.map((c) => {
            const sorted = sort?.key === c.key;
            return (
              <div key={c.key} role="columnheader" className={styles.headerCell} aria-sort={sorted ? (sort!.descending ? 'descending' : 'ascending') : c.compare ? 'none' : undefined}>
                {c.compare && onSort ? (
                  <button type="button" className={styles.sortButton} onClick={() => onSort({ key: c.key, descending: sorted ? !sort!.descending : false })}>
                    {c.header}
                    {sorted && (sort!.descending ? <ArrowSortDownRegular aria-hidden /> : <ArrowSortUpRegular aria-hidden />)}
                  </button>
                ) : (
                  c.header
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className={styles.body} style={{ height: total * rowHeight, minWidth }}>
        {visible}
      </div>
      {total === 0 && empty && <div className={styles.empty}>{empty}</div>}
    </div>
  );
}

/** Sorts rows by a column of the table (a stable sort; the input is not changed). */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: SortState | undefined): readonly T[] {
  const column = sort && columns.find((c) => c.key === sort.key);
  if (!column?.compare) return rows;
  const sign = sort!.descending ? -1 : 1;
  return [...rows].sort((a, b) => sign * column.compare!(a, b));
}
