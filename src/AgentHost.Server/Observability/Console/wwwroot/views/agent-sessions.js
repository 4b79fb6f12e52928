import { getBeta } from '../api.js';
import { esc, json } from '../format.js';

const beta = 'managed-agents-2026-04-01';

// Managed Agents sessions (/v1/sessions): newest first, with their agent, status and what they have cost.
export async function agentSessionsView() {
  const view = document.getElementById('view');
  const list = await getBeta('sessions?limit=100&include_archived=true', beta);
  view.innerHTML = `
    <h1>Agent sessions</h1>
    <p class="muted">Claude Managed Agents sessions (<code>/v1/sessions</code>): an agent running in an environment, its
      turns on the engine, its workspace in the sandbox. Each session's model calls are also a gateway session.</p>
    <table class="agent-sessions">
      <thead><tr><th>Session</th><th>Title</th><th>Agent</th><th>Model</th><th>Status</th><th>Created</th><th class="num">Tokens in / out</th><th class="num">List cost</th></tr></thead>
      <tbody>${list.data.map((s) => `<tr><td><a href="#/agent-sessions/${encodeURIComponent(s.id)}">${esc(s.id)}</a></td>
        <td>${esc(s.title ?? '—')}</td><td>${esc(s.agent.name)} <span class="muted">v${s.agent.version}</span></td><td>${esc(s.agent.model.id)}</td>
        <td>${esc(s.status)}</td><td>${esc(s.created_at)}</td><td class="num">${s.usage.input_tokens ?? 0} / ${s.usage.output_tokens ?? 0}</td>
        <td class="num">${s.usage.list_cost ? '$' + (Number(s.usage.list_cost.amount) / 100).toFixed(2) : '—'}</td></tr>`).join('')
        || '<tr><td colspan="8" class="muted">No agent sessions yet.</td></tr>'}</tbody>
    </table>`;
}

// One session: its settings, then its event log in order (user events, the agent's messages and tool calls, spans).
export async function agentSessionView(id) {
  const view = document.getElementById('view');
  const session = await getBeta(`sessions/${encodeURIComponent(id)}`, beta);
  const events = [];
  let page = null;
  do {
    const batch = await getBeta(`sessions/${encodeURIComponent(id)}/events?limit=100${page ? `&page=${encodeURIComponent(page)}` : ''}`, beta);
    events.push(...batch.data);
    page = batch.next_page;
  } while (page && events.length < 1000);
  view.innerHTML = `
    <h1>Agent session ${esc(session.id)}</h1>
    <p>${esc(session.title ?? '')} · agent <code>${esc(session.agent.id)}</code> v${session.agent.version} (${esc(session.agent.model.id)}) ·
      environment <code>${esc(session.environment_id)}</code> · <strong>${esc(session.status)}</strong> ·
      <a href="#/sessions/${encodeURIComponent(session.id)}">model calls and costs</a></p>
    <ol class="session-events">${events.map(item).join('')}</ol>
    <p class="muted">Raw data: <code>GET /v1/sessions/${esc(id)}/events</code> (header <code>anthropic-beta: ${beta}</code>).</p>`;
}

function text(content) {
  return (content ?? []).filter((b) => b.type === 'text').map((b) => b.text).join('');
}

function item(e) {
  const head = `<span class="muted">${esc(e.processed_at ?? '')}</span> <code>${esc(e.type)}</code>`;
  switch (e.type) {
    case 'user.message': return `<li>${head}<div class="msg user">${esc(text(e.content))}</div></li>`;
    case 'agent.message': return `<li>${head}<div class="msg assistant">${esc(text(e.content))}</div></li>`;
    case 'agent.tool_use': case 'agent.mcp_tool_use': case 'agent.custom_tool_use':
      return `<li>${head} ${esc(e.name)}${e.evaluated_permission ? ` <span class="muted">(${esc(e.evaluated_permission)})</span>` : ''}${json(e.input)}</li>`;
    case 'agent.tool_result': case 'agent.mcp_tool_result': case 'user.custom_tool_result':
      return `<li>${head}${e.is_error ? ' (error)' : ''}<pre>${esc(text(e.content))}</pre></li>`;
    case 'user.tool_confirmation': return `<li>${head} ${esc(e.result)}${e.deny_message ? `: ${esc(e.deny_message)}` : ''}</li>`;
    case 'session.status_idle': return `<li>${head} ${esc(e.stop_reason?.type ?? '')}</li>`;
    case 'session.error': return `<li>${head}<div class="error-box">${esc(e.error?.type)}: ${esc(e.error?.message)}</div></li>`;
    case 'span.model_request_end': return `<li>${head} ${e.model_usage.input_tokens} in / ${e.model_usage.output_tokens} out${e.is_error ? ' (failed)' : ''}</li>`;
    default: return `<li>${head}</li>`;
  }
}
