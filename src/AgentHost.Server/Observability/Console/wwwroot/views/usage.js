import { get } from '../api.js';
import { esc, usd } from '../format.js';
import { costLatencyChart } from '../chart.js';

export async function usageView() {
  const view = document.getElementById('view');
  const since = Math.floor(Date.now() / 1000) - 7 * 86400;
  const [byHour, byModel, byDoor] = await Promise.all([get(`agenthost/usage?start_time=${since}&group_by=hour`), get(`agenthost/usage?start_time=${since}&group_by=model`),
    get(`agenthost/usage?start_time=${since}&group_by=entry_point`)]);
  const total = byModel.data.reduce((n, r) => n + r.cost_usd, 0);
  view.innerHTML = `
    <h1>Usage, last 7 days</h1>
    <div class="cards">
      <div class="card">Cost<b>${usd(total)}</b></div>
      <div class="card">Model calls<b>${byModel.data.reduce((n, r) => n + r.model_calls, 0)}</b></div>
      <div class="card">Errors<b>${byModel.data.reduce((n, r) => n + r.errors, 0)}</b></div>
    </div>
    <h2>Cost and latency per hour</h2>
    ${costLatencyChart(byHour.data)}
    <h2>By model</h2>
    <table>
      <thead><tr><th>Model</th><th class="num">Calls</th><th class="num">Input</th><th class="num">Cached</th><th class="num">Cache writes</th><th class="num">Output</th><th class="num">Avg latency</th><th class="num">Cost</th></tr></thead>
      <tbody>${byModel.data.map((r) => `<tr><td>${esc(r.key)}</td><td class="num">${r.model_calls}</td><td class="num">${r.input_tokens}</td>
        <td class="num">${r.cached_input_tokens}</td><td class="num">${r.cache_write_tokens}</td><td class="num">${r.output_tokens}</td>
        <td class="num">${Math.round(r.average_duration_ms)} ms</td><td class="num">${usd(r.cost_usd)}</td></tr>`).join('')}</tbody>
    </table>
    <h2>By entry point</h2>
    <table>
      <thead><tr><th>Entry point</th><th class="num">Calls</th><th class="num">Errors</th><th class="num">Input</th><th class="num">Output</th><th class="num">Cost</th></tr></thead>
      <tbody>${byDoor.data.map((r) => `<tr><td>${esc(r.key)}</td><td class="num">${r.model_calls}</td><td class="num">${r.errors}</td><td class="num">${r.input_tokens}</td>
        <td class="num">${r.output_tokens}</td><td class="num">${usd(r.cost_usd)}</td></tr>`).join('')}</tbody>
    </table>
    <p class="muted">Price table ${esc(byModel.price_table_version)}. Raw data: <code>GET /v1/agenthost/usage?start_time=…&amp;group_by=…</code>, Prometheus: <a href="/metrics">/metrics</a>.</p>`;
}
