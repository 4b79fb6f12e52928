import { get } from '../api.js';
import { esc, when, json } from '../format.js';

// Messages threads: `thread` on /v1/messages, held by AgentHost, most recently continued first.
export async function messageThreadsView() {
  const view = document.getElementById('view');
  const list = await get('agenthost/message_threads?limit=100');
  view.innerHTML = `
    <h1>Messages threads</h1>
    <p class="muted">Conversations clients keep on AgentHost with <code>thread</code> on <code>/v1/messages</code>
      (the Anthropic SDK's <code>toolRunner</code>): each turn holds only what the client sent new and the reply.</p>
    <table class="message-threads">
      <thead><tr><th>Thread</th><th>Started</th><th>Last turn</th><th class="num">Turns</th><th>Last model</th><th>Session</th><th>Tip (previous_message_id)</th></tr></thead>
      <tbody>${list.data.map((t) => `<tr><td><a href="#/message-threads/${encodeURIComponent(t.last_message_id)}">${esc(t.id)}</a></td>
        <td>${when(t.created_at)}</td><td>${when(t.last_turn_at)}</td><td class="num">${t.turns}</td><td>${esc(t.last_model)}</td>
        <td>${t.session_id ? `<a href="#/sessions/${encodeURIComponent(t.session_id)}">${esc(t.session_id)}</a>` : '—'}</td>
        <td><code>${esc(t.last_message_id)}</code></td></tr>`).join('') || '<tr><td colspan="7" class="muted">No Messages threads yet.</td></tr>'}</tbody>
    </table>`;
}

// One thread up to a reply: each turn's new messages, then the reply's blocks.
export async function messageThreadView(messageId) {
  const view = document.getElementById('view');
  const thread = await get(`agenthost/message_threads/${encodeURIComponent(messageId)}`);
  view.innerHTML = `
    <h1>Messages thread ${esc(thread.id)}</h1>
    <ol class="thread-turns">${thread.turns.map((turn) => `<li data-turn="${esc(turn.id)}">
      <div class="muted">${when(turn.created_at)} · ${esc(turn.model)} · <code>${esc(turn.id)}</code>${turn.stop_reason ? ` · ${esc(turn.stop_reason)}` : ''}</div>
      ${(Array.isArray(turn.input) ? turn.input : []).map((m) => blocks(m.role, m.content)).join('')}
      ${blocks('assistant', turn.reply)}
    </li>`).join('')}</ol>
    <p class="muted">Raw data: <code>GET /v1/agenthost/message_threads/${esc(messageId)}</code>.</p>`;
}

// A message's content as the console shows it: text as text, tool calls and results as their JSON.
function blocks(role, content) {
  const parts = typeof content === 'string' ? [{ type: 'text', text: content }] : (content ?? []);
  return parts.map((b) => {
    if (b.type === 'text') return `<div class="msg ${role === 'assistant' ? 'assistant' : 'user'}">${esc(b.text)}</div>`;
    if (b.type === 'thinking') return `<div class="msg tool">thinking: ${esc(b.thinking)}</div>`;
    if (b.type === 'tool_use') return `<div class="msg tool">tool_use ${esc(b.name)}</div>${json(b.input)}`;
    if (b.type === 'tool_result') return `<div class="msg tool">tool_result${b.is_error ? ' (error)' : ''}</div>${json(b.content)}`;
    return `<div class="msg tool">${esc(b.type)}</div>`;
  }).join('');
}
