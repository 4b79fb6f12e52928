import { get } from '../api.js';
import { esc, when, usd } from '../format.js';

export async function assistantsView() {
  const view = document.getElementById('view');
  const [assistants, usage] = await Promise.all([get('assistants?limit=100'), get('agenthost/usage?start_time=0&group_by=assistant')]);
  const cost = Object.fromEntries(usage.data.map((row) => [row.key, row]));
  view.innerHTML = `
    <h1>Assistants</h1>
    <table>
      <thead><tr><th>Name</th><th>Id</th><th>Model</th><th>Tools</th><th>Created</th><th class="num">Model calls</th><th class="num">Cost</th><th></th></tr></thead>
      <tbody>${assistants.data.map((a) => `
        <tr>
          <td>${esc(a.name || '(unnamed)')}</td><td><code>${esc(a.id)}</code></td><td>${esc(a.model)}</td>
          <td>${esc(a.tools.map((t) => t.type === 'function' ? t.function.name : t.type).join(', '))}</td>
          <td>${when(a.created_at)}</td>
          <td class="num">${cost[a.id]?.model_calls ?? 0}</td><td class="num">${usd(cost[a.id]?.cost_usd ?? 0)}</td>
          <td><a href="#/playground/${esc(a.id)}">chat</a></td>
        </tr>`).join('') || '<tr><td colspan="8" class="muted">No assistants yet.</td></tr>'}
      </tbody>
    </table>`;
}
