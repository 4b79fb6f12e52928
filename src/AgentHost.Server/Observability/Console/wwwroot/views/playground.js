import { get, stream } from '../api.js';
import { esc, usd } from '../format.js';

// Chat with an assistant; the run streams live over SSE (create thread and run, then one run per message).
export async function playgroundView(selected) {
  const view = document.getElementById('view');
  const assistants = await get('assistants?limit=100');
  view.innerHTML = `
    <h1>Playground</h1>
    <label>Assistant <select id="assistant">${assistants.data.map((a) => `<option value="${esc(a.id)}" ${a.id === selected ? 'selected' : ''}>${esc(a.name || a.id)} (${esc(a.model)})</option>`).join('')}</select></label>
    <div class="chat" id="chat"></div>
    <form class="row" id="send"><input type="text" id="message" placeholder="Say something" autocomplete="off"><button type="submit">Send</button></form>
    <p id="status" class="muted"></p>`;

  let threadId = null;
  const chat = view.querySelector('#chat');
  const status = view.querySelector('#status');
  view.querySelector('#send').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = view.querySelector('#message');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    chat.insertAdjacentHTML('beforeend', `<div class="msg user">${esc(text)}</div>`);
    const assistantId = view.querySelector('#assistant').value;
    let reply = null;
    let run = null;
    status.textContent = 'running…';
    const onEvent = (name, data) => {
      if (name === 'thread.created') threadId = data.id;
      if (name.startsWith('thread.run.') && !name.startsWith('thread.run.step')) { run = data; status.textContent = `run ${data.id}: ${data.status}`; }
      if (name === 'thread.message.delta') {
        if (!reply) { reply = document.createElement('div'); reply.className = 'msg assistant'; chat.append(reply); }
        reply.textContent += data.delta.content.map((c) => c.text?.value ?? '').join('');
      }
      if (name === 'thread.message.completed') reply = null;
      if (name === 'thread.run.step.completed' && data.step_details.type === 'tool_calls') {
        for (const call of data.step_details.tool_calls) chat.insertAdjacentHTML('beforeend', `<div class="msg tool">tool: ${esc(call.type === 'function' ? call.function.name : call.type)}</div>`);
      }
    };
    try {
      if (threadId) {
        await stream(`threads/${threadId}/runs`, { assistant_id: assistantId, additional_messages: [{ role: 'user', content: text }] }, onEvent);
      } else {
        await stream('threads/runs', { assistant_id: assistantId, thread: { messages: [{ role: 'user', content: text }] } }, onEvent);
      }
      if (run) {
        const done = await get(`threads/${run.thread_id}/runs/${run.id}`);
        status.innerHTML = `run ${esc(done.id)}: ${esc(done.status)} · ${done.usage?.total_tokens ?? 0} tokens · ${usd(done.cost?.total_usd)} · <a id="open-trace" href="#/threads/${esc(done.thread_id)}/runs/${esc(done.id)}">open trace</a>`;
      }
    } catch (error) {
      status.innerHTML = `<span class="error-box">${esc(error.message)}</span>`;
    }
  });
}
