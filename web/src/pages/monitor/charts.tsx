// Two charts drawn as plain SVG (no chart library): counts per time bucket as lines, and a histogram with
// stacked bars. Fixed drawing size scaled to the width available (viewBox); every point and bar has a
// tooltip (<title>), and the chart as a whole an accessible label.
import { makeStyles, tokens } from '@fluentui/react-components';

const W = 720;
const H = 260;
const M = { top: 16, right: 16, bottom: 44, left: 48 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

const useStyles = makeStyles({
  figure: { margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  svg: { width: '100%', height: 'auto', maxHeight: '320px', fontFamily: tokens.fontFamilyBase, fontSize: '11px' },
  legend: { display: 'flex', gap: tokens.spacingHorizontalL, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, flexWrap: 'wrap' },
  swatch: { display: 'inline-block', width: '12px', height: '12px', borderRadius: '2px', marginRight: '6px', verticalAlign: 'middle' },
});

export interface Series {
  readonly name: string;
  readonly color: string;
}

/** A round axis maximum and its tick step (1, 2, 5 × 10^n). */
function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const stepped = Math.max(1, step);
  return { max: Math.ceil(max / stepped) * stepped, step: stepped };
}

function YAxis({ max, step }: { readonly max: number; readonly step: number }) {
  const lines = [];
  for (let v = 0; v <= max + 1e-9; v += step) {
    const y = M.top + PLOT_H - (v / max) * PLOT_H;
    lines.push(
      <g key={v}>
        <line x1={M.left} x2={M.left + PLOT_W} y1={y} y2={y} style={{ stroke: tokens.colorNeutralStroke2 }} strokeWidth={1} />
        <text x={M.left - 6} y={y + 4} textAnchor="end" style={{ fill: tokens.colorNeutralForeground3 }}>
          {v.toLocaleString('en-US')}
        </text>
      </g>,
    );
  }
  return <g>{lines}</g>;
}

/** Which of `n` labels to print so they do not overlap (about 8 along the axis). */
const labelEvery = (n: number) => Math.max(1, Math.ceil(n / 8));

export interface LineChartProps {
  readonly label: string;
  readonly series: readonly Series[];
  /** One entry per bucket: its label and a value per series. */
  readonly points: readonly { readonly label: string; readonly values: readonly number[] }[];
}

export function LineChart({ label, series, points }: LineChartProps) {
  const styles = useStyles();
  const max = niceScale(Math.max(1, ...points.flatMap((p) => p.values)));
  const n = points.length;
  const x = (i: number) => M.left + (n <= 1 ? PLOT_W / 2 : (i / (n - 1)) * PLOT_W);
  const y = (v: number) => M.top + PLOT_H - (v / max.max) * PLOT_H;
  const every = labelEvery(n);
  const total = series.map((s, k) => `${s.name} ${points.reduce((a, p) => a + (p.values[k] ?? 0), 0).toLocaleString('en-US')}`).join(', ');
  return (
    <figure className={styles.figure}>
      <svg className={styles.svg} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${total}`}>
        <YAxis {...max} />
        {points.map((p, i) =>
          i % every === 0 ? (
            <text key={i} x={x(i)} y={H - M.bottom + 16} textAnchor="middle" style={{ fill: tokens.colorNeutralForeground3 }}>
              {p.label}
            </text>
          ) : null,
        )}
        <line x1={M.left} x2={M.left + PLOT_W} y1={M.top + PLOT_H} y2={M.top + PLOT_H} style={{ stroke: tokens.colorNeutralStroke1 }} />
        {series.map((s, k) => (
          <g key={s.name} data-series={s.name}>
            <polyline style={{ fill: 'none', stroke: s.color }} strokeWidth={2} strokeLinejoin="round" points={points.map((p, i) => `${x(i)},${y(p.values[k] ?? 0)}`).join(' ')} />
            {points.map((p, i) => (
              <circle key={i} cx={x(i)} cy={y(p.values[k] ?? 0)} r={n > 40 ? 2 : 3} style={{ fill: s.color }}>
                <title>{`${p.label}: ${(p.values[k] ?? 0).toLocaleString('en-US')} ${s.name.toLowerCase()}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <Legend series={series} />
    </figure>
  );
}

export interface HistogramProps {
  readonly label: string;
  readonly series: readonly Series[];
  /** One bar per bin, stacked from the first series up. */
  readonly bins: readonly { readonly label: string; readonly values: readonly number[] }[];
  readonly xLabel?: string;
}

export function Histogram({ label, series, bins, xLabel }: HistogramProps) {
  const styles = useStyles();
  const max = niceScale(Math.max(1, ...bins.map((b) => b.values.reduce((a, v) => a + v, 0))));
  const n = Math.max(1, bins.length);
  const slot = PLOT_W / n;
  const bar = Math.max(2, slot - 4);
  const every = labelEvery(n);
  const y = (v: number) => (v / max.max) * PLOT_H;
  return (
    <figure className={styles.figure}>
      <svg className={styles.svg} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <YAxis {...max} />
        {bins.map((b, i) => {
          let base = 0;
          const x = M.left + i * slot + (slot - bar) / 2;
          return (
            <g key={i} data-bin={b.label}>
              {b.values.map((v, k) => {
                if (v === 0) return null;
                const h = y(v);
                const top = M.top + PLOT_H - base - h;
                base += h;
                return (
                  <rect key={k} x={x} y={top} width={bar} height={h} style={{ fill: series[k]?.color }}>
                    <title>{`${b.label}: ${v.toLocaleString('en-US')} ${series[k]?.name.toLowerCase() ?? ''}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text x={M.left + i * slot} y={H - M.bottom + 16} textAnchor="middle" style={{ fill: tokens.colorNeutralForeground3 }}>
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
        <line x1={M.left} x2={M.left + PLOT_W} y1={M.top + PLOT_H} y2={M.top + PLOT_H} style={{ stroke: tokens.colorNeutralStroke1 }} />
        {xLabel && (
          <text x={M.left + PLOT_W / 2} y={H - 6} textAnchor="middle" style={{ fill: tokens.colorNeutralForeground2 }}>
            {xLabel}
          </text>
        )}
      </svg>
      <Legend series={series} />
    </figure>
  );
}

function Legend({ series }: { readonly series: readonly Series[] }) {
  const styles = useStyles();
  return (
    <div className={styles.legend}>
      {series.map((s) => (
        <span key={s.name}>
          <span className={styles.swatch} style={{ backgroundColor: s.color }} />
          {s.name}
        </span>
      ))}
    </div>
  );
}
