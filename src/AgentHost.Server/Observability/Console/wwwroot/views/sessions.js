import { get } from '../api.js';
import { esc, usd, when, ms, pill } from '../format.js';

// Gateway sessions: /v1/messages and /v1/chat/completions calls grouped by session, most recently active first.
export async function sessionsView() {
  const view = document.getElementById('view');
  const list = await get('agenthost/sessions?limit=100');
  view.innerHTML = `
    <h1>Sessions</h1>
    <p class="muted">Calls through <code>/v1/messages</code> and <code>/v1/chat/completions</code>, grouped by <code>x-agenthost-session</code>,
      Claude Code's <code>x-claude-code-session-id</code> or <code>metadata.user_id</code>.</p>
    <table>
      <thead><tr><th>Session</th><th>Last call</th><th>Last model</th><th class="num">Calls</th><th class="num">Errors</th><th class="num">Input</th><th class="num">Output</th><th class="num">Cost</th></tr></thead>
      <tbody>${list.data.map((s) => `<tr><td><a href="#/sessions/${encodeURIComponent(s.id)}">${esc(s.id)}</a></td><td>${when(s.last_call_at)}</td>
        <td>${esc(s.last_model)}</td><td class="num">${s.model_calls}</td><td class="num">${s.errors}</td><td class="num">${s.input_tokens}</td>
        <td class="num">${s.output_tokens}</td><td class="num">${usd(s.cost_usd)}</td></tr>`).join('') || '<tr><td colspan="8" class="muted">No gateway calls yet.</td></tr>'}</tbody>
    </table>`;
}

// One session: its calls as a timeline (offset and duration from the first call) and a table of what each cost.
export async function sessionView(id) {
  const view = document.getElementById('view');
  const session = await get(`agenthost/sessions/${encodeURIComponent(id)}`);
  const start = session.calls.length ? session.calls[0].started_at : 0;
  const end = Math.max(1, ...session.calls.map((c) => c.started_at + c.duration_ms - start));
  const bar = (c) => `<div class="span-bar ${c.status === 'ok' ? '' : 'error'}" title="${esc(c.model)} ${c.duration_ms} ms"
      style="margin-left:${((c.started_at - start) / end) * 100}%;width:${Math.max(0.5, (c.duration_ms / end) * 100)}%"></div>`;
  view.innerHTML = `
    <h1>Session ${esc(session.id)}</h1>
    <div class="cards">
      <div class="card">Cost<b>${usd(session.cost_usd)}</b></div>
      <div class="card">Model calls<b>${session.model_calls}</b></div>
      <div class="card">Errors<b>${session.errors}</b></div>
      <div class="card">Cached input<b>${session.cached_input_tokens}</b></div>
    </div>
    <h2>Calls</h2>
    <table class="session-calls">
      <thead><tr><th>Started</th><th>Door</th><th>Model asked → served</th><th>Status</th><th>Stop</th><th class="num">In (cached / written)</th><th class="num">Out</th>
        <th class="num">Latency (first token)</th><th>Tools offered → called</th><th class="num">Cost</th><th class="span-col">Timeline</th></tr></thead>
      <tbody>${session.calls.map((c) => `<tr>
        <td>${when(Math.floor(c.started_at / 1000))}</td><td>${esc(c.entry_point)}</td>
        <td>${esc(c.model)} → ${esc(c.served_model ?? '—')}</td><td>${pill(c.status)}${c.error ? `<div class="muted">${esc(c.error)}</div>` : ''}</td>
        <td>${esc(c.stop_reason ?? '')}</td>
        <td class="num">${c.usage?.input_tokens ?? 0} (${c.usage?.cached_input_tokens ?? 0} / ${c.usage?.cache_write_tokens ?? 0})${c.usage && !c.usage.reported ? ' est.' : ''}</td>
        <td class="num">${c.usage?.output_tokens ?? 0}</td><td class="num">${ms(c.duration_ms)} (${ms(c.time_to_first_update_ms)})</td>
        <td>${c.tools_offered} → ${esc((c.tool_calls ?? []).join(', ') || '—')}</td><td class="num">${usd(c.cost?.total_usd)}</td>
        <td class="span-col">${bar(c)}</td></tr>`).join('')}</tbody>
    </table>
    ${session.message_threads?.length ? `<h2>Messages threads</h2><ul class="session-threads">${session.message_threads.map((t) =>
      `<li><a href="#/message-threads/${encodeURIComponent(t.turns[t.turns.length - 1].id)}">${esc(t.id)}</a> — ${t.turns.length} turn(s)</li>`).join('')}</ul>` : ''}
    <p class="muted">Raw data: <code>GET /v1/agenthost/sessions/${esc(session.id)}</code>.</p>`;
}
