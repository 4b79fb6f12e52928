import { get } from '../api.js';
import { esc, usd, ms, pill, json, when } from '../format.js';

// A run's trace as a timeline: each model call and tool call, expandable to its full request and response.
export async function runView(threadId, runId) {
  const view = document.getElementById('view');
  const trace = await get(`threads/${threadId}/runs/${runId}/trace`);
  const calls = trace.spans.filter((s) => s.kind === 'model_call');
  const retries = calls.reduce((n, s) => n + (s.events || []).length, 0);
  view.innerHTML = `
    <h1>Run <code>${esc(runId)}</code> ${pill(trace.status)}</h1>
    <p class="muted">Thread <a href="#/threads/${esc(threadId)}"><code>${esc(threadId)}</code></a> · assistant <code>${esc(trace.assistant_id)}</code> · model ${esc(trace.model)} · prices ${esc(trace.price_table_version)}</p>
    <div class="cards">
      <div class="card">Total cost<b data-testid="run-cost">${usd(trace.cost?.total_usd)}</b></div>
      <div class="card">Model calls<b>${calls.length}</b></div>
      <div class="card">Input tokens<b>${calls.reduce((n, s) => n + (s.usage?.input_tokens || 0), 0)}</b></div>
      <div class="card">Output tokens<b>${calls.reduce((n, s) => n + (s.usage?.output_tokens || 0), 0)}</b></div>
      <div class="card">Retries and fallbacks<b>${retries}</b></div>
    </div>
    <div id="sub-assistants"></div>
    <ol class="timeline">${trace.spans.map(span).join('')}</ol>`;
  const tree = await subAssistantTree(threadId, runId, 0);
  if (tree) {
    document.getElementById('sub-assistants').innerHTML = `<h2>Sub-assistant runs</h2>${tree}`;
  }
}

// The runs this run started through assistant tools, and theirs, as a nested list (AgentHost caps nesting at a few levels).
async function subAssistantTree(threadId, runId, depth) {
  if (depth > 4) {
    return '';
  }
  const steps = await get(`threads/${threadId}/runs/${runId}/steps?limit=100&order=asc`);
  const calls = steps.data.flatMap((s) => s.step_details.tool_calls || []).filter((c) => c.type === 'assistant' && c.assistant);
  if (calls.length === 0) {
    return '';
  }
  const items = await Promise.all(calls.map(async (c) => {
    const a = c.assistant;
    if (!a.run_id) {
      return `<li data-testid="sub-assistant"><b>${esc(a.name)}</b> ${pill(a.status)} <span class="error-box">${esc(a.error)}</span></li>`;
    }
    const child = await get(`threads/${a.thread_id}/runs/${a.run_id}`);
    return `<li data-testid="sub-assistant"><b>${esc(a.name)}</b> ${pill(child.status)}
      <a href="#/threads/${esc(a.thread_id)}/runs/${esc(a.run_id)}"><code>${esc(a.run_id)}</code></a>
      <span class="cost">${usd(child.cost?.total_usd)}</span> <span class="muted">${esc(a.task)}</span>
      ${await subAssistantTree(a.thread_id, a.run_id, depth + 1)}</li>`;
  }));
  return `<ul class="tree">${items.join('')}</ul>`;
}

function span(s) {
  const retried = (s.events || []).length > 0;
  const classes = [s.kind, s.status === 'error' ? 'error' : '', retried ? 'retried' : ''].join(' ');
  const started = when(Math.floor(s.started_at / 1000));
  if (s.kind === 'model_call') {
    return `<li class="${classes}" data-kind="model_call"><details>
      <summary><b>model call</b> ${esc(s.response_model || s.model)} ${pill(s.status)}
        <span>${ms(s.duration_ms)}</span><span class="muted">first token ${ms(s.time_to_first_update_ms)}</span>
        <span>${s.usage ? `${s.usage.input_tokens} in (${s.usage.cached_input_tokens || 0} cached, ${s.usage.cache_write_tokens || 0} written) · ${s.usage.output_tokens} out` : ''}</span>
        <span class="cost">${usd(s.cost?.total_usd)}</span><span class="muted">${started}</span></summary>
      ${(s.events || []).map((e) => `<div class="event">${esc(e.type)}: ${esc(e.provider)} ${esc(e.model)}${e.status_code ? ` (${e.status_code})` : ''}${e.fallback_model ? ` → ${esc(e.fallback_model)}` : ''}${e.delay_ms ? ` after ${e.delay_ms} ms` : ''} — ${esc(e.reason)}</div>`).join('')}
      ${s.error ? `<div class="error-box">${esc(s.error)}</div>` : ''}
      <h2>Request</h2>${json(s.request)}
      <h2>Response</h2>${json(s.response)}
      ${s.cost ? `<h2>Cost</h2>${json(s.cost)}` : ''}
    </details></li>`;
  }
  if (s.kind === 'tool_call') {
    return `<li class="${classes}" data-kind="tool_call"><details>
      <summary><b>tool call</b> <span class="tool">${esc(s.tool_type)}</span> ${pill(s.status)} <span>${ms(s.duration_ms)}</span><code>${esc(s.tool_call_id)}</code></summary>
      ${s.error ? `<div class="error-box">${esc(s.error)}</div>` : ''}
      <h2>Input</h2>${json(s.input)}
      <h2>Output</h2>${json(s.output ?? '(not yet submitted)')}
    </details></li>`;
  }
  return `<li class="${classes}" data-kind="${esc(s.kind)}"><b>${esc(s.kind.replace('_', ' '))}</b> ${pill(s.status)} ${esc(s.error)}</li>`;
}
