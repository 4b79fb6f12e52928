import { get } from '../api.js';
import { esc, when, usd, pill } from '../format.js';

// The Assistants API has no "list threads"; the console lists the threads that have run, from the usage records.
export async function threadsView() {
  const view = document.getElementById('view');
  const usage = await get('agenthost/usage?start_time=0&group_by=thread');
  view.innerHTML = `
    <h1>Threads</h1>
    <p class="muted">Threads with at least one model call.</p>
    <table>
      <thead><tr><th>Thread</th><th class="num">Model calls</th><th class="num">Input</th><th class="num">Output</th><th class="num">Cost</th></tr></thead>
      <tbody>${usage.data.map((row) => `
        <tr><td><a href="#/threads/${esc(row.key)}"><code>${esc(row.key)}</code></a></td>
          <td class="num">${row.model_calls}</td><td class="num">${row.input_tokens}</td><td class="num">${row.output_tokens}</td>
          <td class="num">${usd(row.cost_usd)}</td></tr>`).join('') || '<tr><td colspan="5" class="muted">No runs yet.</td></tr>'}
      </tbody>
    </table>`;
}

export async function threadView(threadId) {
  const view = document.getElementById('view');
  const [messages, runs] = await Promise.all([get(`threads/${threadId}/messages?order=asc&limit=100`), get(`threads/${threadId}/runs?limit=100`)]);
  view.innerHTML = `
    <h1>Thread <code>${esc(threadId)}</code></h1>
    <h2>Runs</h2>
    <table>
      <thead><tr><th>Run</th><th>Status</th><th>Model</th><th>Created</th><th class="num">Tokens</th><th class="num">Cost</th></tr></thead>
      <tbody>${runs.data.map((r) => `
        <tr><td><a href="#/threads/${esc(threadId)}/runs/${esc(r.id)}"><code>${esc(r.id)}</code></a></td><td>${pill(r.status)}</td>
          <td>${esc(r.model)}</td><td>${when(r.created_at)}</td><td class="num">${r.usage?.total_tokens ?? '—'}</td><td class="num">${usd(r.cost?.total_usd)}</td></tr>`).join('')}
      </tbody>
    </table>
    <h2>Messages</h2>
    <div class="chat">${messages.data.map((m) => `
      <div class="msg ${esc(m.role)}">${esc(m.content.map((c) => c.text?.value ?? `[${c.type}]`).join('\n'))}</div>`).join('')}
    </div>`;
}
