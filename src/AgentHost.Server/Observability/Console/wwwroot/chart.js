import { esc, usd } from './format.js';

// Bars for cost and a line for average latency, one point per bucket, as inline SVG (no library, no network).
export function costLatencyChart(rows) {
  if (rows.length === 0) return '<p class="muted">No model calls in this period.</p>';
  const width = 900, height = 220, left = 90, right = 70, top = 10, bottom = 40;
  const plotW = width - left - right, plotH = height - top - bottom;
  const maxCost = Math.max(...rows.map((r) => r.cost_usd), 1e-9);
  const maxLatency = Math.max(...rows.map((r) => r.average_duration_ms), 1);
  const step = plotW / rows.length;
  const bars = rows.map((r, i) => {
    const h = (r.cost_usd / maxCost) * plotH;
    return `<rect x="${left + i * step + step * 0.15}" y="${top + plotH - h}" width="${step * 0.7}" height="${h}" fill="#91a7ff"><title>${esc(r.key)}: ${usd(r.cost_usd)}</title></rect>`;
  }).join('');
  const line = rows.map((r, i) => `${left + i * step + step / 2},${top + plotH - (r.average_duration_ms / maxLatency) * plotH}`).join(' ');
  const dots = rows.map((r, i) => `<circle cx="${left + i * step + step / 2}" cy="${top + plotH - (r.average_duration_ms / maxLatency) * plotH}" r="4" fill="#e8590c"><title>${esc(r.key)}: ${Math.round(r.average_duration_ms)} ms</title></circle>`).join('');
  const labels = rows.map((r, i) => (rows.length <= 12 || i % Math.ceil(rows.length / 12) === 0)
    ? `<text x="${left + i * step + step / 2}" y="${height - 22}" text-anchor="middle">${esc(r.key.slice(5, 13))}</text>` : '').join('');
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Cost and latency over time">
    <line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="#ccc"/>
    ${bars}
    <polyline points="${line}" fill="none" stroke="#e8590c" stroke-width="2"/>
    ${dots}
    ${labels}
    <text x="${left - 6}" y="${top + 10}" text-anchor="end">${usd(maxCost)}</text>
    <text x="${width - right + 6}" y="${top + 10}">${Math.round(maxLatency)} ms</text>
    <text x="${left}" y="${height - 4}">■ cost (bars, left)</text><text x="${left + 160}" y="${height - 4}" style="fill:#e8590c">— avg latency (line, right)</text>
  </svg>`;
}
